using WgStream.Api.Hosting;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Api.Auth;

/// <summary>
/// Turns a bearer token (<c>{sessionId}.{secret}</c>) into the session's principal. Nothing is
/// cached on the Api node: the SessionGrain answers from memory, and a revoked token must fail on
/// the very next request. Every authenticated request starts here, so a session grain on a silo
/// that just died must not hold it for Orleans' 30 s: the check is retried (<see cref="ClusterRetry"/>).
/// </summary>
public sealed class SessionAuthenticator(IGrainFactory grains, ClusterRetry retry)
{
    public const string CookieName = "wg_session";

    public async Task<SessionPrincipal?> AuthenticateAsync(string token, string? ipAddress, CancellationToken cancellationToken = default)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == token.Length - 1 || token.Length > 200)
        {
            return null;
        }

        var session = grains.GetGrain<ISessionGrain>(token[..dot]);
        var secret = token[(dot + 1)..];
        return await retry.RunAsync("Session check", attempt => session.AuthenticateAsync(secret, ipAddress, attempt), cancellationToken);
    }

    /// <summary>The token an HTTP request carries: <c>Authorization: Bearer</c> first, else the browser cookie.</summary>
    public static string? ReadToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return request.Cookies.TryGetValue(CookieName, out var cookie) && cookie.Length > 0 ? cookie : null;
    }

    public static void WriteCookie(HttpContext http, string token, TimeSpan lifetime) =>
        http.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            Path = "/",
            MaxAge = lifetime,
        });

    public static void ClearCookie(HttpContext http) =>
        http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Lax });
}
