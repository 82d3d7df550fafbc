namespace WgStream.GrainInterfaces.Common;

/// <summary>
/// The stable error codes clients may rely on; they surface as GraphQL <c>extensions.code</c>.
/// </summary>
public static class ErrorCodes
{
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = "FORBIDDEN";
    public const string BadUserInput = "BAD_USER_INPUT";
    public const string NotFound = "NOT_FOUND";
    public const string RateLimited = "RATE_LIMITED";
    public const string Internal = "INTERNAL";
}
