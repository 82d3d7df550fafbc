import type { Key } from "../../i18n";
import type { AppState } from "../../context";

/**
 * Deleting a recording (a clip or a past broadcast) from its own page: asks first, then leaves for
 * the channel it belonged to (or home), since the page now shows nothing. A refusal stays on the
 * page as an error toast.
 */
export async function deleteAndLeave(
  app: Pick<AppState, "t" | "toast" | "navigate">,
  texts: { confirm: Key; done: Key },
  channel: { username: string } | null | undefined,
  remove: () => Promise<unknown>,
): Promise<void> {
  if (!confirm(app.t(texts.confirm))) return;
  try {
    await remove();
    app.toast("success", app.t(texts.done));
    app.navigate(channel ? `/${channel.username}` : "/");
  } catch (e) {
    app.toast("error", (e as Error).message);
  }
}
