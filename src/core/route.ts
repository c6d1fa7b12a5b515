/**
 * The route kit, shared by both API families. A route is declared once — method, path and its
 * aliases, operationId, docs, who may call it, request schemas, the success payload and, for the
 * workspace family, the envelope's messages and payload key — and `mount()` fills in the rest:
 * authentication, the documented failures of the family, the validation hook that renders field
 * errors in the family's shape, and the response (`{success, message, ...}` for the workspace
 * family, the bare body for Tamiti). Handlers receive `{s, db, actor, params, query, body}` and
 * return only the payload; their argument and return types come from the declared schemas.
 */
import { createRoute, type OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Db } from '../db';
import type { AppEnv } from '../env';
import { optionalAuth, requireAuth } from '../middleware/auth';
import { ApiError, drf, type FieldErrors, familyOf, ws } from './errors';
import { type FileRule, multipartSchema, withoutFileParts } from './files';
import type { Actor, AuthedScope, Scope } from './scope';
import { toFieldErrors } from './validation';
import { describeRoute } from '../openapi/describe';

export type Family = 'drf' | 'envelope';
/** A route's summary or description: text, or a function composing it when the document is built. */
export type DocText = string | (() => string | undefined);
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** `user`: a valid access token is required (default). `optional`: read when present. `public`: ignored. */
export type AuthMode = 'user' | 'optional' | 'public';
type SuccessStatus = 200 | 201 | 202 | 204;
// biome-ignore lint/suspicious/noExplicitAny: any object schema; the concrete shape is inferred where a route is declared
type AnyObject = z.ZodObject<any>;
type Maybe<T> = T | undefined;

/** How a workspace-family route wraps its payload. */
export interface EnvelopeSpec {
  /** The success message. */
  message: string;
  /** The message of a 400 on this route (validation or a field error), e.g. "Branch creation failed". */
  failure?: string;
  /** Where field errors go in a 400: `errors` (default) or `error` (the seed's auth routes). */
  errorKey?: 'errors' | 'error';
  /**
   * A validation 400 also carries its field errors at the top level, where the original's clients
   * read a bare DRF body (`{"code": ["This field is required."], success: false, ...}`).
   */
  fieldsAtTop?: boolean;
  /**
   * The payload goes under `data` and under this key (`{data: branch, branch}`); a list payload
   * (`list: true`) spreads its page info and puts its results there. Without a key, an object
   * payload is spread into the envelope (`{success, message, user, token}`).
   */
  key?: string;
  list?: boolean;
  /** Component name of the documented success body (e.g. `WsBranchResponse`). */
  name?: string;
}

type Out<T> = T extends z.ZodType ? z.output<T> : Record<string, never>;
/** What a handler returns: the payload the route documents (a page for envelope lists). */
export type Payload<R> = R extends z.ZodType ? z.input<R> : undefined;

/** A page of results as handlers return it for list routes. */
export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** What a handler receives. */
export interface Call<P, Q, B, A extends AuthMode> {
  s: A extends 'user' ? AuthedScope : Scope;
  db: Db;
  actor: A extends 'user' ? Actor : Actor | undefined;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  /** The raw Hono context, for the rare route that must stream or set cookies. */
  c: Context<AppEnv>;
}

/** A reply that differs from the route's defaults (status, message, headers). */
export class Reply<T> {
  constructor(
    readonly payload: T,
    readonly options: { status?: SuccessStatus | ContentfulStatusCode; message?: string; headers?: Record<string, string> },
  ) {}
}

/** Replies with another status, envelope message or headers than the route declares. */
export const reply = <T>(payload: T, options: Reply<T>['options']) => new Reply(payload, options);

/**
 * What a handler may return: its payload, a page of payloads (envelope routes with `list: true`),
 * a `reply()`, a raw Response, or nothing for a route without payload.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler of a route without payload returns nothing (Promise<void>)
type Result<R> = Payload<R> | Page<Payload<R>> | Reply<Payload<R>> | Response | (R extends undefined ? void : never);

/** Another path serving the same handler (the seed's and the original's forms of one operation). */
export interface Alias<P, Q, B> {
  path: string;
  operationId: string;
  summary?: DocText;
  description?: DocText;
  /** The alias's tags, when it is documented under another group (e.g. `/api/auth/` beside `/api/users/`). */
  tags?: string[];
  params?: AnyObject;
  query?: AnyObject;
  body?: z.ZodType;
  /** Turns the alias's validated input into the main form's input (e.g. a path id into the body). */
  into?: (input: { params: Record<string, unknown>; query: Record<string, unknown>; body: unknown }) => {
    params: Out<P>;
    query: Out<Q>;
    body: Out<B>;
  };
}

export interface RouteSpec<
  P extends Maybe<AnyObject>,
  Q extends Maybe<AnyObject>,
  B extends Maybe<z.ZodType>,
  R extends Maybe<z.ZodType>,
  A extends AuthMode,
> {
  method: Method;
  /** Literal path under /api with `{param}` placeholders, as documented. */
  path: string;
  operationId: string;
  summary?: DocText;
  description?: DocText;
  tags: string[];
  /** Defaults to the family of the path (`/api/user/`, `/api/workspace/` use the envelope). */
  family?: Family;
  auth?: A;
  /** Tamiti's role rule, checked before validation: `staff` answers a Customer 403. */
  audience?: 'staff' | 'any';
  params?: P;
  query?: Q;
  body?: B;
  /** A request body is required (default) or may be omitted. */
  bodyRequired?: boolean;
  /** The success status (default 200; `reply()` may choose another). */
  status?: SuccessStatus;
  /** The success payload (DRF: the body itself; envelope: what goes in the envelope). */
  response?: R;
  /** Documents the success body as given, e.g. a response the kit does not build. */
  responseDescription?: string;
  envelope?: EnvelopeSpec;
  /** Middleware run after authentication and before validation (rate limits, body limits). */
  middleware?: MiddlewareHandler<AppEnv>[];
  /** Extra documented responses (409, 429 ...), merged over the family's failures. */
  responses?: RouteConfig['responses'];
  /** Documented failures to drop (e.g. 401 on a public route). */
  omitFailures?: number[];
  hide?: boolean;
  /**
   * File fields of the body: the body may also come as a multipart form whose file fields are file
   * parts (documented with binary fields; validated as the JSON it becomes, the parts taken out, see
   * `withoutFileParts`). The handler stores the parts with `storeUploadsFor`.
   */
  files?: Record<string, FileRule>;
  aliases?: Alias<P, Q, B>[];
  /**
   * DRF family: called when the body fails validation, with the raw body and the field errors
   * found; returns the errors to answer. Lets a route report with them what it would check next for
   * a valid body (the resource kit's reference checks on the fields that did parse), as DRF reports
   * every field error at once. A round trip it makes is the request's first, authorization included.
   */
  invalidBody?: (input: InvalidBody) => Promise<FieldErrors> | FieldErrors;
  handler: (call: Call<P, Q, B, A>) => Promise<Result<R>> | Result<R>;
}

/** What `RouteSpec.invalidBody` receives. */
export interface InvalidBody {
  c: Context<AppEnv>;
  /** The body as sent (parsed JSON, not validated). */
  raw: unknown;
  /** The field errors validation found. */
  errors: FieldErrors;
}

/** Declares a route; identity at runtime, it infers the handler's types from the schemas. */
export function route<
  P extends Maybe<AnyObject> = undefined,
  Q extends Maybe<AnyObject> = undefined,
  B extends Maybe<z.ZodType> = undefined,
  R extends Maybe<z.ZodType> = undefined,
  A extends AuthMode = 'user',
>(spec: RouteSpec<P, Q, B, R, A>): RouteSpec<P, Q, B, R, A> {
  return spec;
}

// ---- the families' errors and documented failures -------------------------------------------

/** DRF `{detail}` body, reused in documented error responses. */
export const Detail = z.object({ detail: z.string() }).openapi('ErrorDetail');
export const FieldErrorsSchema = z
  .record(z.string(), z.any())
  .openapi('ValidationError', { description: 'Field errors: {"field": ["message"]} or {"non_field_errors": [...]}' });
export const ErrorEnvelope = z
  .object({ success: z.literal(false), message: z.string(), errors: z.record(z.string(), z.any()) })
  .openapi('WsErrorEnvelope');
/** A workspace-family success without payload (deletes). */
export const Done = z.object({ success: z.boolean(), message: z.string() }).openapi('WsDone');

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
export const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({
  required,
  content: { 'application/json': { schema } },
});

/** A JSON request body that may also be a multipart form with file parts (`RouteSpec.files`). */
function withMultipart(body: ReturnType<typeof jsonBody>, files: Record<string, FileRule> | undefined) {
  if (!files || !Object.keys(files).length) return body;
  return { ...body, content: { ...body.content, 'multipart/form-data': { schema: multipartSchema(files) } } };
}

/** Documented failures of the DRF family. */
export const drfErrors = {
  400: json(FieldErrorsSchema, 'Validation error'),
  401: json(Detail, 'Not authenticated'),
  403: json(Detail, 'Permission denied'),
  404: json(Detail, 'Not found'),
} as const;

/** Documented failures of the workspace family. */
export const envelopeErrors = {
  400: json(ErrorEnvelope, 'Invalid input'),
  401: json(z.object({ detail: z.string() }), 'Not authenticated'),
  403: json(ErrorEnvelope, 'The caller may view but not do this'),
  404: json(ErrorEnvelope, 'Not found, or not visible to the caller'),
} as const;

/** Bearer security requirement for protected routes. */
export const bearer = [{ jwtAuth: [] }];

/**
 * The validation hook of a route: field errors in the family's shape; a malformed path id is a 404.
 * `invalidBody` (DRF family) completes a failed body's errors before they are answered.
 */
export function validationHook(
  family: Family,
  envelope?: EnvelopeSpec,
  invalidBody?: RouteSpec<never, never, never, never, never>['invalidBody'],
) {
  return (
    result: { success: boolean; target: string; data?: unknown; error?: { issues: readonly z.core.$ZodIssue[] } },
    c?: Context<AppEnv>,
  ) => {
    if (result.success) return;
    const errors: FieldErrors = toFieldErrors(result.error?.issues ?? []);
    if (family === 'drf') {
      if (result.target === 'param') throw drf.notFound('Not found.');
      if (invalidBody && c && result.target === 'json')
        return Promise.resolve(invalidBody({ c, raw: result.data, errors })).then((all) => {
          throw drf.fields(all);
        });
      throw drf.fields(errors);
    }
    if (result.target === 'param') throw new ApiError(404, { detail: 'Not found.' });
    const failure = ws.fail(400, envelope?.failure ?? 'Invalid data provided', errors, envelope?.errorKey ?? 'errors');
    if (envelope?.fieldsAtTop) throw new ApiError(400, { ...errors, ...failure.body });
    throw failure;
  };
}

/** Tamiti's role rule as middleware: Customers reach only what is meant for them. */
export function audienceGuard(audience: 'staff' | 'any'): MiddlewareHandler<AppEnv> {
  return async function audienceGuard(c, next) {
    if (audience === 'staff' && c.get('scope').actor?.role === 'Customer') throw drf.forbidden();
    await next();
  };
}

// ---- documents -------------------------------------------------------------------------------

const PageInfo = {
  count: z.number().int(),
  next: z.string().nullable(),
  previous: z.string().nullable(),
};

/** The documented success body of an envelope route. */
function envelopeSchema(payload: z.ZodType | undefined, env: EnvelopeSpec): z.ZodType {
  if (!payload) return Done;
  const head = { success: z.boolean(), message: z.string() };
  let schema: z.ZodType;
  if (env.key && env.list) {
    const list = z.array(payload);
    schema = z.object({ ...head, ...PageInfo, data: list, [env.key]: list });
  } else if (env.key) {
    schema = z.object({ ...head, data: payload, [env.key]: payload });
  } else {
    schema = z.object({ ...head, ...(payload as AnyObject).shape });
  }
  return env.name ? schema.openapi(env.name) : schema;
}

function successResponse(spec: LooseSpec, family: Family) {
  const status = spec.status ?? 200;
  const out: RouteConfig['responses'] = {};
  if (status === 204) out[204] = { description: spec.responseDescription ?? 'No response body' };
  else {
    const schema = family === 'envelope' && spec.envelope ? envelopeSchema(spec.response, spec.envelope) : spec.response;
    out[status] = schema ? json(schema, spec.responseDescription ?? '') : { description: spec.responseDescription ?? '' };
  }
  return out;
}

// ---- mounting ----------------------------------------------------------------------------------

/** Wraps a handler's payload in the family's response. */
function respond(c: Context<AppEnv>, spec: LooseSpec, family: Family, result: unknown) {
  if (result instanceof Response) return result;
  const r = result instanceof Reply ? result : undefined;
  const payload = r ? r.payload : result;
  const status = (r?.options.status ?? spec.status ?? 200) as ContentfulStatusCode | 204;
  if (r?.options.headers) for (const [k, v] of Object.entries(r.options.headers)) c.header(k, v);
  if (status === 204) return c.body(null, 204);
  if (family === 'drf' || !spec.envelope) return c.json(payload as object, status);
  const env = spec.envelope;
  const head = { success: true, message: r?.options.message ?? env.message };
  if (payload === undefined) return c.json(head, status);
  if (env.key && env.list) {
    const { results, ...info } = payload as Page<unknown>;
    return c.json({ ...head, ...info, data: results, [env.key]: results }, status);
  }
  if (env.key) return c.json({ ...head, data: payload, [env.key]: payload }, status);
  return c.json({ ...head, ...(payload as object) }, status);
}

/**
 * What a kit route's validators hand its handler. The route configs are built at run time, so
 * zod-openapi cannot infer them; the declared route typed its handler from the same schemas.
 */
type ValidatedInput = {
  in: Record<string, unknown>;
  out: { param: Record<string, unknown>; query: Record<string, unknown>; json: unknown };
};

/** The documentation-only parts of a route config, built when the OpenAPI document is. */
type RouteDocs = Pick<RouteConfig, 'summary' | 'description' | 'responses'>;
const ROUTE_DOCS = Symbol('route docs');
/** A summary or description as text (composing it when it is a function). */
export const docText = (t: DocText | undefined) => (typeof t === 'function' ? t() : t);

/**
 * Completes a registered route definition with its summary, description and responses (called by
 * the document builder). Registries copy definitions with their own enumerable properties, so the
 * composer travels with each copy.
 */
export function withRouteDocs(route: RouteConfig): RouteConfig {
  const docs = (route as RouteConfig & { [ROUTE_DOCS]?: () => RouteDocs })[ROUTE_DOCS];
  if (!docs) return route;
  return Object.assign(route, docs());
}

/** A route's main form or one of its aliases, as the kit mounts them (`Alias` is that shape). */
type Form = Alias<unknown, unknown, unknown>;

/** A declared route as the kit reads it, whatever its schemas (the handler is called typed). */
type LooseSpec = Omit<RouteSpec<AnyObject, AnyObject, z.ZodType, z.ZodType, AuthMode>, 'handler' | 'aliases'>;

/** A route's middleware: authentication, the audience rule, its own, then the file parts taken out. */
function routeMiddleware(spec: LooseSpec): MiddlewareHandler<AppEnv>[] {
  const auth = spec.auth ?? 'user';
  const middleware: MiddlewareHandler<AppEnv>[] = [];
  if (auth === 'user') middleware.push(requireAuth());
  else if (auth === 'optional') middleware.push(optionalAuth());
  if (spec.audience) middleware.push(audienceGuard(spec.audience));
  middleware.push(...(spec.middleware ?? []));
  const fileFields = Object.keys(spec.files ?? {});
  if (fileFields.length)
    middleware.push(async function fileParts(c, next) {
      // Nothing has read the body yet: the validator reads the request set here (as bodyLimit does).
      c.req.raw = await withoutFileParts(c.req.raw, fileFields);
      await next();
    });
  return middleware;
}

/** The family's documented failures, less those the route omits. */
function documentedFailures(spec: LooseSpec, family: Family): Record<number, unknown> {
  const failures: Record<number, unknown> = { ...(family === 'drf' ? drfErrors : envelopeErrors) };
  for (const code of spec.omitFailures ?? []) delete failures[code];
  return failures;
}

/** Mounts a declared route (and its aliases) on a router. */
export function mount<
  P extends Maybe<AnyObject>,
  Q extends Maybe<AnyObject>,
  B extends Maybe<z.ZodType>,
  R extends Maybe<z.ZodType>,
  A extends AuthMode,
>(app: OpenAPIHono<AppEnv>, declared: RouteSpec<P, Q, B, R, A>) {
  // The kit handles every route alike; the precise types were checked where the route was declared.
  const spec: LooseSpec = declared;
  const family = spec.family ?? (familyOf(spec.path) === 'workspace' ? 'envelope' : 'drf');
  const auth = spec.auth ?? 'user';
  const middleware = routeMiddleware(spec);
  const failures = documentedFailures(spec, family);
  const hook = validationHook(family, spec.envelope, spec.invalidBody);
  const forms: Form[] = [spec, ...((declared.aliases ?? []) as Form[])];

  for (const form of forms) {
    const isAlias = form !== spec;
    const params = isAlias ? form.params : spec.params;
    const query = isAlias ? (form.query ?? spec.query) : spec.query;
    const body = isAlias ? (form.body ?? spec.body) : spec.body;
    const config = createRoute({
      method: spec.method,
      path: form.path,
      operationId: form.operationId,
      summary: undefined, // these three are set by `withRouteDocs` (kept here for the document's key order)
      description: undefined,
      tags: form.tags ?? spec.tags,
      hide: spec.hide,
      ...(auth === 'user' ? { security: bearer } : auth === 'optional' ? { security: [...bearer, {}] } : {}),
      middleware,
      request: {
        ...(params ? { params } : {}),
        ...(query ? { query } : {}),
        ...(body ? { body: withMultipart(jsonBody(body, spec.bodyRequired ?? true), spec.files) } : {}),
      },
      responses: {},
    });
    // Documentation only: composed when the document is built (`withRouteDocs`), not on a first request.
    Object.assign(config, {
      [ROUTE_DOCS]: (): RouteDocs => ({
        summary: docText(form.summary ?? spec.summary),
        description: docText(form.description ?? spec.description) ?? describeRoute(declared, family), // composed when not written
        responses: { ...successResponse(spec, family), ...failures, ...(spec.responses ?? {}) },
      }),
    });
    const into = isAlias ? form.into : undefined;
    // zod-openapi types a handler from a literal route config; the kit builds configs at run time, so
    // it names the validated input's type itself, and the handler's types were checked where declared.
    app.openapi<RouteConfig, ValidatedInput>(
      config,
      async (c) => {
        let input: { params: Record<string, unknown>; query: Record<string, unknown>; body: unknown } = {
          params: params ? c.req.valid('param') : {},
          query: query ? c.req.valid('query') : {},
          body: body ? c.req.valid('json') : undefined,
        };
        if (into) input = into(input);
        const s = c.get('scope');
        // The validators ran the declared schemas, so the input is their output (`Out<P>`...).
        const call = { s, db: s.db, actor: s.actor, c, ...input } as Call<P, Q, B, A>;
        return respond(c, spec, family, await declared.handler(call));
      },
      hook,
    );
  }
}
