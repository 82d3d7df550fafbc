namespace WgStream.Api.Streams.Transcoding;

/// <summary>
/// What the encoder sends, as ffprobe saw it: the ladder leaves out rungs taller than the source,
/// and the WebRTC relay passes H.264 through only when browsers can decode it in real time
/// (no B-frames; <see cref="Profile"/> and <see cref="Level"/> name it in the SDP).
/// </summary>
public sealed record SourceInfo(string VideoCodec, int Width, int Height, double Fps, bool HasAudio, string? Profile = null, int Level = 0, bool HasBFrames = false);
