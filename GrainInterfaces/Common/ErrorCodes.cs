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

    /// <summary>The cluster did not answer in time (a silo failing over, say) or the database refused for a moment (out of connections, failing over); retry after a moment.</summary>
    public const string Unavailable = "UNAVAILABLE";

    /// <summary>This node has no room for the work right now (image decoding at its memory budget or concurrency limit); retry after the time given, nothing was wrong with the request.</summary>
    public const string Busy = "BUSY";

    /// <summary>The request is fine but the thing is not in a state that allows it (a video still being recorded cannot be deleted); try again later.</summary>
    public const string Conflict = "CONFLICT";

    /// <summary>A chat message was not posted yet: AutoMod holds it for a moderator, who may approve it (it is then posted with its original time) or deny it. Not a failure; do not retry.</summary>
    public const string Held = "HELD";

    /// <summary>The account is banned from the whole site by an operator: it cannot sign in, chat or go live. The message gives the operator's reason; do not retry.</summary>
    public const string AccountBanned = "ACCOUNT_BANNED";

    /// <summary>A <c>documentId</c> (or APQ <c>sha256Hash</c>) that is not one of the persisted documents; APQ clients retry with the text on this code.</summary>
    public const string PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND";

    /// <summary><c>GraphQL:PersistedOnly</c> is on and an anonymous client sent a document's text instead of a persisted id.</summary>
    public const string PersistedQueryRequired = "PERSISTED_QUERY_REQUIRED";

    /// <summary>The document asks for more than a request may: too many fields (fragments expanded), aliases or fragment spreads, too deep, or over the complexity limit.</summary>
    public const string QueryTooComplex = "QUERY_TOO_COMPLEX";

    /// <summary>The answer would be larger than a response may be (result values or bytes); ask for less, or page.</summary>
    public const string ResponseTooLarge = "RESPONSE_TOO_LARGE";

    /// <summary>The query ran longer than <c>GraphQL:ExecutionTimeout</c> and was cancelled (mutations are not cut short).</summary>
    public const string Timeout = "TIMEOUT";

    /// <summary>Introspection (<c>__schema</c>, <c>__type</c>) is off for anonymous clients here (<c>GraphQL:AnonymousIntrospection</c>); sign in.</summary>
    public const string IntrospectionDisabled = "INTROSPECTION_DISABLED";
}
