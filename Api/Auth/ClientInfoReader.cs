using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Api.Auth;

public static class ClientInfoReader
{
    /// <summary>The caller's address (after forwarded-header processing) and user agent.</summary>
    public static ClientInfo Read(HttpContext http) =>
        new(http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null);

    public static string Language(HttpContext http)
    {
        var accept = http.Request.Headers.AcceptLanguage.ToString();
        return accept.StartsWith("uk", StringComparison.OrdinalIgnoreCase) ? "uk" : "en";
    }
}
