namespace WgStream.GrainInterfaces.Streams;

/// <summary>
/// How a live broadcast comes in, as its broadcaster grain knows it: the ingest, when the RTMP
/// ingest last said the encoder is still publishing (null on LiveKit, which sends no heartbeats),
/// and what the HLS worker makes of it (null before it has reported, and on LiveKit). The
/// encoder's bitrate is not known here: nginx-rtmp's callbacks do not carry it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record IngestHealth(IngestKind Ingest, DateTimeOffset? LastHeartbeatAt, TranscodeStatus? Transcode);
