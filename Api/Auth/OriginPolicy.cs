using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Api.Auth;

/// <summary>
/// Which web origins may act with a visitor's session cookie. A browser sends the cookie with a
/// WebSocket handshake or a form post that another site's page starts, and the cookie is
/// <c>SameSite=Lax</c>, which stops cross-site requests but not a sibling subdomain. The
/// <c>Origin</c> header says which page started the request; anything but the site itself and
/// <see cref="SecurityOptions.AllowedOrigins"/> is refused the cookie.
/// </summary>
public sealed class OriginPolicy
{
    private readonly HashSet<string> allowed = new(StringComparer.OrdinalIgnoreCase);

    public OriginPolicy(IOptions<SecurityOptions> security, IOptions<AccountOptions> accounts)
    {
        foreach (var origin in security.Value.AllowedOrigins.Append(accounts.Value.PublicBaseUrl))
        {
            if (Uri.TryCreate(origin, UriKind.Absolute, out var uri))
            {
                allowed.Add(uri.GetLeftPart(UriPartial.Authority));
            }
        }
    }

    /// <summary>
    /// No <c>Origin</c> (a native client, a script, a same-origin navigation), the request's own
    /// origin, or an allowed one.
    /// </summary>
    public bool Allows(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        return allowed.Contains(origin)
            || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
            // A TLS-terminating proxy forwards https pages as http requests: the host must still match.
            || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
                && uri.Scheme == Uri.UriSchemeHttps);
    }
}

/// <summary>
/// Refuses (403, <c>FORBIDDEN</c>) any request that carries the session cookie from a page the
/// <see cref="OriginPolicy"/> does not allow: graphql-transport-ws and SignalR handshakes, uploads,
/// GraphQL posts. Requests without the cookie pass (they act anonymously or with a bearer token,
/// which another site's page cannot have).
/// </summary>
public sealed class CookieOriginGuard(RequestDelegate next, OriginPolicy origins, ILogger<CookieOriginGuard> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.Request.Cookies.ContainsKey(SessionAuthenticator.CookieName) && !origins.Allows(http.Request))
        {
            logger.LogInformation("Refused a cookie-authenticated request to {Path} from origin {Origin}", http.Request.Path.Value, http.Request.Headers.Origin.ToString());
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsJsonAsync(new
            {
                code = GrainInterfaces.Common.ErrorCodes.Forbidden,
                message = "This page's origin may not use your session; open the site itself.",
            });
            return;
        }

        await next(http);
    }
}
