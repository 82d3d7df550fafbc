import Janus, { type JanusJS } from "janus-gateway";
import adapter from "webrtc-adapter";
import { request } from "../../api";
import { graphql } from "../../gql";

const WebRtcPlaybackQuery = graphql(`
  query WebRtcPlayback($c: ID!) {
    webRtcPlayback(channelId: $c) {
      janusUrl
      token
      mountpointId
      pin
    }
  }
`);

/** How long the first frame may take before the player gives up and falls back to HLS. */
const FirstFrameMs = 8000;

let initialized: Promise<void> | null = null;

function init(): Promise<void> {
  initialized ??= new Promise((resolve) =>
    Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies({ adapter }), callback: () => resolve() }),
  );
  return initialized;
}

/**
 * Plays a live channel over WebRTC through Janus's streaming plugin into `video`: asks the Api for
 * a playback (a short-lived token and the mountpoint's PIN), watches the mountpoint, answers its
 * offer receive-only, and resolves once the first frame shows. Rejects (having cleaned up) on any
 * refusal or failure, so the caller can fall back to HLS; the returned function stops playback.
 */
export async function playWebRtc(channelId: string, video: HTMLVideoElement, onFailure: (reason: string) => void): Promise<() => void> {
  const playback = (await request(WebRtcPlaybackQuery, { c: channelId })).webRtcPlayback;
  await init();
  let session: Janus | null = null;
  let handle: JanusJS.PluginHandle | null = null;
  let settled = false;
  const stream = new MediaStream();
  const stop = () => {
    session?.destroy({});
    session = null;
    if (video.srcObject === stream) video.srcObject = null;
  };
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      stop();
      if (!settled) {
        settled = true;
        reject(new Error(reason));
      } else {
        onFailure(reason);
      }
    };
    const timer = setTimeout(() => fail("no picture in time"), FirstFrameMs);
    video.addEventListener(
      "loadeddata",
      () => {
        clearTimeout(timer);
        if (!settled) {
          settled = true;
          resolve(stop);
        }
      },
      { once: true },
    );
    session = new Janus({
      server: playback.janusUrl,
      token: playback.token,
      // No STUN or TURN: Janus offers the addresses viewers reach it on (janus.js would ask Google's STUN server).
      iceServers: [],
      error: (e: unknown) => fail(`janus: ${String(e)}`),
      success: () => {
        session!.attach({
          plugin: "janus.plugin.streaming",
          success: (attached) => {
            handle = attached;
            attached.send({ message: { request: "watch", id: playback.mountpointId, pin: playback.pin } });
          },
          error: (e) => fail(`attach: ${e}`),
          onmessage: (message, jsep) => {
            if (message.error) {
              fail(String(message.error));
              return;
            }
            const current = handle;
            if (jsep && current) {
              current.createAnswer({
                jsep,
                // No tracks of our own: audio and video are accepted receive-only.
                tracks: [{ type: "data", capture: false }],
                success: (answer) => current.send({ message: { request: "start" }, jsep: answer }),
                error: (e) => fail(`answer: ${e}`),
              });
            }
          },
          onremotetrack: (track, _mid, on) => {
            if (on) {
              stream.addTrack(track);
              if (video.srcObject !== stream) video.srcObject = stream;
              void video.play().catch(() => undefined);
            } else {
              stream.removeTrack(track);
            }
          },
          iceState: (state) => {
            if (state === "failed") fail("ICE failed");
          },
        });
      },
    });
  });
}
