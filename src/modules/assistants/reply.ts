/**
 * How an assistant answers a message: its commands first (id order, first match wins), then the
 * Workers AI model when the `AI` binding exists, then its first default response. Every exchange
 * is logged with whether a model actually produced the reply.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db, Stmt } from '../../core/resource';
import type { staffRoles } from '../../db/schema/accounts';
import { assistantLogs, defaultResponses, vaCommands } from '../../db/schema/assistants';
import type { Secrets } from '../../env';
import { DEFAULT_MODEL, modelStmt } from './assistants';

export const DEFAULT_PROMPT = 'You are a helpful assistant.';
export const UNAVAILABLE = "I'm currently unavailable. Please try again later.";
/** How long the model may take before the default response is used. */
export const AI_TIMEOUT_MS = 8000;

type Command = typeof vaCommands.$inferSelect;
type Role = typeof staffRoles.$inferSelect;
export type Ai = NonNullable<Secrets['AI']>;

/** The first command matching the message: exact = trimmed case-insensitive equality; contains = substring. */
export function matchCommand(commands: Command[], message: string): Command | undefined {
  const lower = message.toLowerCase();
  const trimmed = message.trim().toLowerCase();
  return commands.find((cmd) =>
    cmd.match_type === 'contains' ? lower.includes(cmd.trigger.toLowerCase()) : trimmed === cmd.trigger.trim().toLowerCase(),
  );
}

/** The text of a Workers AI (or OpenAI-shaped) answer, or undefined when there is none. */
function answerText(out: unknown): string | undefined {
  if (typeof out === 'string') return out.trim() || undefined;
  const o = out as { response?: unknown; choices?: { message?: { content?: unknown } }[] } | null;
  const text = typeof o?.response === 'string' ? o.response : o?.choices?.[0]?.message?.content;
  return typeof text === 'string' && text.trim() ? text.trim() : undefined;
}

/** Asks the model; undefined when it fails, times out or answers nothing. */
export async function askModel(ai: Ai, model: string, system: string, message: string, timeoutMs = AI_TIMEOUT_MS) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const out = await Promise.race([
      ai.run(model, {
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: message },
        ],
      }),
      timeout,
    ]);
    if (out === 'timeout') {
      console.warn(JSON.stringify({ level: 'warn', msg: 'assistant model timed out', model }));
      return undefined;
    }
    return answerText(out);
  } catch (err) {
    console.warn(JSON.stringify({ level: 'warn', msg: 'assistant model failed', model, error: String(err) }));
    return undefined;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

export interface Reply {
  response: string;
  used_gpt: boolean;
  model: string | null;
}

/** What an assistant answers with, loaded in the chat's first round trip (see `replyData`). */
export interface ReplyData {
  /** The assistant's commands, in id order. */
  commands: Command[];
  /** Its first default response, if any. */
  fallback: string | undefined;
  /** Its configured model (DEFAULT_MODEL when none). */
  model: string;
}

/** The statements loading an assistant's `ReplyData`, to put in a batch: commands, first default, model. */
export function replyData(db: Db, roleId: number): [Stmt, Stmt, Stmt] {
  return [
    db.select().from(vaCommands).where(eq(vaCommands.role, roleId)).orderBy(asc(vaCommands.id)),
    db
      .select({ fallback_text: defaultResponses.fallback_text })
      .from(defaultResponses)
      .where(eq(defaultResponses.role, roleId))
      .orderBy(asc(defaultResponses.id))
      .limit(1),
    modelStmt(db, roleId),
  ];
}

/** Reads what the `replyData` statements returned. */
export function readReplyData(loaded: unknown[][]): ReplyData {
  const [commands, defaults, settings] = loaded as [Command[], { fallback_text: string }[], { model: string }[]];
  return { commands, fallback: defaults[0]?.fallback_text, model: settings[0]?.model ?? DEFAULT_MODEL };
}

/**
 * Answers `message` as `role` for `userId` from what `replyData` loaded, and logs the exchange
 * (one statement: the only round trip besides the model call).
 */
export async function reply(
  db: Db,
  ai: Ai | undefined,
  role: Role,
  userId: number,
  message: string,
  data: ReplyData,
  timeoutMs?: number,
): Promise<Reply> {
  let result: Reply;
  const command = matchCommand(data.commands, message);
  if (command) {
    result = {
      response: command.response_mode === 'api' ? command.api_endpoint : command.response_text,
      used_gpt: false,
      model: null,
    };
  } else {
    const model = ai ? data.model : null;
    const answer =
      ai && model ? await askModel(ai, model, role.prompt_context.trim() || DEFAULT_PROMPT, message, timeoutMs) : undefined;
    result = answer
      ? { response: answer, used_gpt: true, model }
      : { response: data.fallback ?? UNAVAILABLE, used_gpt: false, model };
  }
  await db
    .insert(assistantLogs)
    .values({ user: userId, role: role.id, message, reply: result.response, used_gpt: result.used_gpt, model: result.model });
  return result;
}
