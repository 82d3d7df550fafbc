import { useApp } from "../context";
import { ChannelGrid } from "../components/discovery/Directory";
import { useLiveChannels } from "../components/discovery/liveChannels";

/** /t/{tag}: the live channels with a tag, most watched first, paged like the home page. */
export function TagPage({ tag }: { tag: string }) {
  const { t } = useApp();
  const live = useLiveChannels(null, false, [tag]);
  return (
    <div className="tag-page">
      <h1 data-testid="tag-title">{t("taggedTitle", { tag })}</h1>
      <ChannelGrid list={live} empty={t("nobodyLiveWithTag")} testId="tag-channels" emptyTestId="tag-empty" />
    </div>
  );
}
