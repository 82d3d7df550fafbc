namespace WgStream.GrainInterfaces.Common;

/// <summary>
/// A refusal the user can act on. It crosses grain boundaries (hence the generated serializer) and
/// becomes a GraphQL error carrying <see cref="Code"/> and, where it helps, the offending field and
/// the time the user may retry.
/// </summary>
[GenerateSerializer]
public sealed class WgException : Exception
{
    public WgException(string code, string message, string? field = null, DateTimeOffset? retryAt = null)
        : base(message)
    {
        Code = code;
        Field = field;
        RetryAt = retryAt;
    }

    [Id(0)] public string Code { get; }

    [Id(1)] public string? Field { get; }

    [Id(2)] public DateTimeOffset? RetryAt { get; }

    public static WgException BadInput(string message, string? field = null) => new(ErrorCodes.BadUserInput, message, field);

    public static WgException Unauthenticated(string message = "Sign in first.") => new(ErrorCodes.Unauthenticated, message);

    public static WgException Forbidden(string message) => new(ErrorCodes.Forbidden, message);

    public static WgException NotFound(string message) => new(ErrorCodes.NotFound, message);

    public static WgException Conflict(string message) => new(ErrorCodes.Conflict, message);

    public static WgException RateLimited(string message, DateTimeOffset retryAt) => new(ErrorCodes.RateLimited, message, retryAt: retryAt);

    public static WgException Unavailable(string message, DateTimeOffset retryAt) => new(ErrorCodes.Unavailable, message, retryAt: retryAt);
    public static WgException AccountBanned(string message) => new(ErrorCodes.AccountBanned, message);

    public static WgException Busy(string message, DateTimeOffset retryAt) => new(ErrorCodes.Busy, message, retryAt: retryAt);
}
