namespace WgStream.Tests.Infrastructure.Fuzz;

/// <summary>
/// One request as bytes on the wire, with what it is (for the failure message), whether the sender
/// stops short, and the one 5xx the protocol prescribes for it, if any (505 for an HTTP version
/// nobody speaks is the right answer, not a server fault).
/// </summary>
public sealed record RawHttpRequest(string Description, byte[] Bytes, bool HalfClose = false, int? PrescribedStatus = null)
{
    /// <summary>A HEAD answer has the headers of a body it does not send.</summary>
    public bool IsHead => Bytes.AsSpan().StartsWith("HEAD "u8);
}
