using WgStream.Api.Hosting;
using Microsoft.Extensions.Options;
using Stripe;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Gateways.Stripe;

namespace WgStream.Api.Sponsorship;

/// <summary>
/// <c>POST /webhooks/stripe</c>: Stripe's event deliveries. The <c>Stripe-Signature</c> header is
/// checked against the webhook secret (HMAC-SHA256, timestamp within 300 s) before anything is
/// read; a bad, stale or missing signature is a 400 that says no more than that. A verified event
/// is applied once however often it arrives (200 every time); a failure is a 500, which Stripe
/// answers by delivering again later.
/// </summary>
public static partial class StripeWebhookEndpoint
{
    /// <summary>Stripe's events are a few KiB; anything far larger is not one of them.</summary>
    private const int MaxBodyBytes = 512 * 1024;

    public static void MapStripeWebhooks(this WebApplication app) => app.MapPost("/webhooks/stripe", HandleAsync).DisableAntiforgery();

    private static async Task<IResult> HandleAsync(HttpContext http, IOptions<StripeOptions> options, IClusterClient cluster, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(nameof(StripeWebhookEndpoint));
        var secret = options.Value.WebhookSecret;
        if (string.IsNullOrEmpty(secret))
        {
            LogNotConfigured(logger);
            return Answer(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "Webhooks are not configured.");
        }

        var signature = http.Request.Headers["Stripe-Signature"].ToString();
        if (signature.Length == 0)
        {
            return Refused();
        }

        if (!RequestBodyLimit.Apply(http, MaxBodyBytes))
        {
            return TooLarge();
        }

        string json;
        try
        {
            using var reader = new StreamReader(http.Request.Body, System.Text.Encoding.UTF8);
            json = await reader.ReadToEndAsync(http.RequestAborted);
        }
        catch (BadHttpRequestException)
        {
            return TooLarge();
        }

        Event stripeEvent;
        try
        {
            // The API version is checked below and logged rather than refused: an endpoint set to
            // another version still has every field we read, and refusing would only make Stripe
            // retry for days and then disable the endpoint.
            stripeEvent = EventUtility.ConstructEvent(json, signature, secret, StripeOptions.WebhookToleranceSeconds, throwOnApiVersionMismatch: false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A wrong secret, a stale timestamp, a tampered or unparsable body: all the same to the sender.
            LogRefused(logger, e.Message);
            return Refused();
        }

        if (stripeEvent.ApiVersion is { } version && version != StripeConfiguration.ApiVersion)
        {
            LogVersionMismatch(logger, stripeEvent.Id, version, StripeConfiguration.ApiVersion);
        }

        if (StripeEventMapper.Map(stripeEvent) is not { } paymentEvent)
        {
            return Results.Ok(new { received = true });
        }

        try
        {
            var outcome = await cluster.GetGrain<IPaymentEventsGrain>(0).ApplyAsync(paymentEvent);
            return Results.Ok(new { received = true, duplicate = outcome.Duplicate });
        }
        catch (Exception e)
        {
            if (e is not WgException)
            {
                LogFailed(logger, e, stripeEvent.Id, stripeEvent.Type);
            }

            return Answer(StatusCodes.Status500InternalServerError, ErrorCodes.Internal, "The event could not be processed now; deliver it again later.");
        }
    }

    private static IResult TooLarge() => Answer(StatusCodes.Status413PayloadTooLarge, ErrorCodes.BadUserInput, "The body is too large.");

    private static IResult Refused() => Answer(StatusCodes.Status400BadRequest, ErrorCodes.Forbidden, "Invalid signature.");

    /// <summary>The same <c>{code, message}</c> shape as every other REST answer; Stripe only reads the status.</summary>
    private static IResult Answer(int status, string code, string message) => Results.Json(new { code, message }, statusCode: status);

    [LoggerMessage(Level = LogLevel.Error, Message = "A Stripe webhook arrived but Stripe:WebhookSecret is not set")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Stripe webhook: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventId} has API version {Version}; this build expects {Expected}")]
    private static partial void LogVersionMismatch(ILogger logger, string eventId, string version, string expected);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stripe event {EventId} ({Type}) failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string eventId, string type);
}
