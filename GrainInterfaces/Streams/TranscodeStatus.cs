namespace WgStream.GrainInterfaces.Streams;

/// <summary>
/// What the live broadcast's HLS worker makes: the renditions players can pick (best first), and
/// whether the quality ladder fell back to passthrough because the machine could not encode it in
/// real time (then <see cref="Reason"/> says so, for the dashboard).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TranscodeStatus(IReadOnlyList<string> Renditions, bool FellBack, string? Reason, DateTimeOffset At);
