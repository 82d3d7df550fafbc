namespace WgStream.Api.Streams.Transcoding;

/// <summary>What the encoder sends, as ffprobe saw it: the ladder leaves out rungs taller than the source.</summary>
public sealed record SourceInfo(string VideoCodec, int Width, int Height, double Fps, bool HasAudio);
