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

    /// <summary>A <c>documentId</c> (or APQ <c>sha256Hash</c>) that is not one of the persisted documents; APQ clients retry with the text on this code.</summary>
    public const string PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND";

    /// <summary><c>GraphQL:PersistedOnly</c> is on and an anonymous client sent a document's text instead of a persisted id.</summary>
    public const string PersistedQueryRequired = "PERSISTED_QUERY_REQUIRED";
}
