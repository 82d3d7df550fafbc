using Microsoft.AspNetCore.Diagnostics;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Hosting;

/// <summary>
/// The last line for REST-style endpoints (uploads, webhooks, ingest): an exception nobody handled
/// becomes a JSON body with the stable <c>INTERNAL</c> code and no details, logged by the framework.
/// A cluster that is briefly unreachable (a silo failing over, a timeout) is a retryable 503 with <c>UNAVAILABLE</c>.
/// A request Kestrel could not read (a body shorter than its Content-Length, broken chunking, a
/// client too slow to send) is the client's: its own 4xx with <c>BAD_USER_INPUT</c>.
/// </summary>
public static class ErrorResponses
{
    public static WebApplication UseWgStreamErrorResponses(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = WriteAsync,
            // Framework logging stays for our failures; a client's unreadable request is not one.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        return app;
    }

    private static async Task WriteAsync(HttpContext http)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is BadHttpRequestException unreadable)
        {
            http.Response.StatusCode = unreadable.StatusCode;
            await http.Response.WriteAsJsonAsync(new { code = ErrorCodes.BadUserInput, message = "The request could not be read: " + unreadable.Message });
            return;
        }

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
    }
}
