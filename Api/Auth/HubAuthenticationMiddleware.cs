using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Auth;

/// <summary>
/// Authenticates SignalR requests (negotiate and the WebSocket upgrade) before they reach a hub:
/// a token that does not work is a 401 at connect time, not a connection that opens and dies.
/// The token is <c>access_token</c> in the query (what SignalR clients send on WebSockets), a
/// bearer header, or the browser cookie; no token means an anonymous (read-only) connection.
/// </summary>
public sealed class HubAuthenticationMiddleware(RequestDelegate next, SessionAuthenticator authenticator, ILogger<HubAuthenticationMiddleware> logger)
{
    private const string PrincipalKey = "wg.principal";

    public static SessionPrincipal? Principal(HttpContext http) => http.Items[PrincipalKey] as SessionPrincipal;

    public async Task InvokeAsync(HttpContext http)
    {
        var token = http.Request.Query["access_token"].ToString() is { Length: > 0 } query ? query : SessionAuthenticator.ReadToken(http.Request);
        if (token is not null)
        {
            SessionPrincipal? principal;
            try
            {
                principal = await authenticator.AuthenticateAsync(token, http.Connection.RemoteIpAddress?.ToString());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The cluster is briefly unreachable (a silo failing over): a retryable 503, not a 500.
                logger.LogWarning(e, "Could not authenticate a SignalR connection");
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                http.Response.Headers.RetryAfter = "1";
                await http.Response.WriteAsJsonAsync(new { code = ErrorCodes.Unavailable, message = "The service is briefly unavailable; try again." });
                return;
            }

            if (principal is null)
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await http.Response.WriteAsJsonAsync(new { code = "UNAUTHENTICATED", message = "The session has ended or the token is invalid; sign in again." });
                return;
            }

            http.Items[PrincipalKey] = principal;
        }

        await next(http);
    }
}
