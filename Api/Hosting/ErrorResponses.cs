using Microsoft.AspNetCore.Diagnostics;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Hosting;

/// <summary>
/// The last line for REST-style endpoints (uploads, webhooks, ingest): an exception nobody handled
/// becomes a JSON body with the stable <c>INTERNAL</c> code and no details, logged by the framework.
/// A cluster that is briefly unreachable (a silo failing over, a timeout) is a retryable 503 with <c>UNAVAILABLE</c>.
/// </summary>
public static class ErrorResponses
{
    public static WebApplication UseWgStreamErrorResponses(this WebApplication app)
    {
        app.UseExceptionHandler(errors => errors.Run(async http =>
        {
            var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
            var transient = error is not null && ClusterRetry.IsClusterFailure(error);
            http.Response.StatusCode = transient ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
            if (transient)
            {
                http.Response.Headers.RetryAfter = "1";
            }

            await http.Response.WriteAsJsonAsync(new
            {
                code = transient ? ErrorCodes.Unavailable : ErrorCodes.Internal,
                message = transient ? "The service is briefly unavailable; try again." : "Something went wrong on our side; it has been logged.",
            });
        }));
        return app;
    }
}
