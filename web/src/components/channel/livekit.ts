import { request } from "../../api";
import { graphql } from "../../gql";

const ViewerTokenQuery = graphql(`
  query LiveKitViewerToken($c: ID!) {
    streamViewerToken(channelId: $c) {
      url
      token
      broadcaster
    }
  }
`);

/** What the LiveKit player shows: joining, in the room without the broadcaster's picture yet, playing, the broadcaster gone. */
export type LiveKitState = "connecting" | "waiting" | "playing" | "offline";

/**
 * Plays a live channel from its LiveKit room into `video`: asks the Api for a subscribe-only
 * viewer token, joins the room and attaches the broadcaster's (the ingress participant's) video and
 * audio tracks to the element, reporting each change of state. livekit-client is imported here, on
 * first use, so pages that play HLS never load it. Rejects if the room cannot be joined; later
 * failures (the connection lost for good) go to `onFailure`. The returned function leaves the room.
 */
export async function playLiveKit(
  channelId: string,
  video: HTMLVideoElement,
  onState: (state: LiveKitState) => void,
  onFailure: (reason: string) => void,
): Promise<() => void> {
  const access = (await request(ViewerTokenQuery, { c: channelId })).streamViewerToken;
  const { Room, RoomEvent, Track } = await import("livekit-client");
  const room = new Room({ adaptiveStream: true });
  let left = false;

  const fromBroadcaster = (participant: { identity: string }) => participant.identity === access.broadcaster;
  const update = () => {
    const broadcaster = room.remoteParticipants.get(access.broadcaster);
    if (!broadcaster) {
      onState("waiting");
      return;
    }
    const picture = [...broadcaster.trackPublications.values()].some((p) => p.kind === Track.Kind.Video && p.track);
    onState(picture ? "playing" : "waiting");
  };

  room
    .on(RoomEvent.TrackSubscribed, (track, _publication, participant) => {
      if (!fromBroadcaster(participant) || (track.kind !== Track.Kind.Video && track.kind !== Track.Kind.Audio)) return;
      // Both kinds go into the one element's MediaStream (livekit-client keeps one track of each kind).
      track.attach(video);
      update();
    })
    .on(RoomEvent.TrackUnsubscribed, (track, _publication, participant) => {
      if (!fromBroadcaster(participant)) return;
      track.detach(video);
      update();
    })
    .on(RoomEvent.ParticipantConnected, update)
    .on(RoomEvent.ParticipantDisconnected, (participant) => {
      if (fromBroadcaster(participant)) onState("offline");
    })
    .on(RoomEvent.Reconnecting, () => onState("connecting"))
    .on(RoomEvent.Reconnected, update)
    .on(RoomEvent.Disconnected, (reason) => {
      if (!left) onFailure(`disconnected (${String(reason ?? "unknown")})`);
    });

  onState("connecting");
  try {
    await room.connect(access.url, access.token, { autoSubscribe: true });
  } catch (e) {
    left = true;
    await room.disconnect();
    throw e;
  }
  update();
  return () => {
    left = true;
    void room.disconnect();
    video.srcObject = null;
  };
}
