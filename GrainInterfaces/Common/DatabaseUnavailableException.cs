namespace WgStream.GrainInterfaces.Common;

/// <summary>
/// A grain call failed because the database could not serve it for a reason that passes: it refused
/// connections (at <c>max_connections</c>, restarting, failing over), none came free in time, or a
/// transaction lost a serialization conflict. Repeating the request shortly is the right move.
/// <para>
/// An <see cref="OrleansException"/> on purpose: every caller that retries a cluster failure or
/// answers it with the retryable <c>UNAVAILABLE</c> does the same for this, with no list of
/// database exceptions of its own. It also crosses the wire as itself, which Npgsql's exceptions do
/// not (Orleans rebuilds them without their SQLSTATE, so they would read as bugs).
/// </para>
/// </summary>
[GenerateSerializer]
[Alias("WgStream.DatabaseUnavailable")]
public sealed class DatabaseUnavailableException : OrleansException
{
    public DatabaseUnavailableException()
        : base("The database is briefly unavailable.")
    {
    }

    public DatabaseUnavailableException(string message)
        : base(message)
    {
    }

    public DatabaseUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
