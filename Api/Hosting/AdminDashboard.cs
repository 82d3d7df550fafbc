using Orleans.Dashboard;
using WgStream.Api.Auth;

namespace WgStream.Api.Hosting;

/// <summary>
/// The Orleans dashboard at <c>/admin/orleans</c>, for signed-in operators only (session cookie or
/// bearer token) whose account has two-factor authentication on: the dashboard shows every grain in
/// the cluster, so a stolen password alone must not open it.
/// </summary>
public static class AdminDashboard
{
    public const string Path = "/admin/orleans";

    /// <summary>The 403 code for a listed operator whose account has no 2FA yet; clients may rely on it.</summary>
    public const string TwoFactorRequired = Operators.TwoFactorRequiredCode;

    public static WebApplication MapAdminDashboard(this WebApplication app)
    {
        app.MapOrleansDashboard(Path).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var services = http.RequestServices;
            var token = SessionAuthenticator.ReadToken(http.Request);
            var principal = token is null
                ? null
                : await services.GetRequiredService<SessionAuthenticator>().AuthenticateAsync(token, http.Connection.RemoteIpAddress?.ToString());
            if (principal is null)
            {
                return Results.Json(new { code = "UNAUTHENTICATED", message = "Sign in as an operator." }, statusCode: StatusCodes.Status401Unauthorized);
            }

            switch (await services.GetRequiredService<Operators>().AccessAsync(principal.UserId))
            {
                case OperatorAccess.None:
                    return Results.Json(new { code = "FORBIDDEN", message = "Only operators may open the Orleans dashboard." }, statusCode: StatusCodes.Status403Forbidden);
                case OperatorAccess.TwoFactorRequired:
                    return Results.Json(new { code = TwoFactorRequired, message = Operators.TwoFactorMessage }, statusCode: StatusCodes.Status403Forbidden);
            }

            return await next(context);
        });
        return app;
    }
}
