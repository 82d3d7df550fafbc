using WgStream.Api.Hosting;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;
using WgStream.GrainInterfaces.Notifications;
using WgStream.Gateways.Telegram;

namespace WgStream.Api.Notifications;

/// <summary>
/// Webhook mode (<c>Telegram:Mode=Webhook</c>): Telegram POSTs each update to
/// <c>/webhooks/telegram/{Telegram:WebhookSecret}</c>. Anything else, or any other mode, is a 404.
/// </summary>
public static class TelegramWebhookEndpoint
{
    private const long MaxBodyBytes = 1024 * 1024;

    public static WebApplication MapTelegramWebhook(this WebApplication app)
    {
        app.MapPost("/webhooks/telegram/{secret}", async (string secret, HttpContext http, IClusterClient cluster, IOptions<TelegramOptions> options) =>
        {
            var o = options.Value;
            if (!o.Enabled || !o.UsesWebhook || string.IsNullOrEmpty(o.WebhookSecret) || !SameSecret(secret, o.WebhookSecret))
            {
                return Results.NotFound();
            }

            // Registered with secret_token, Telegram also sends it as a header; when present it must match.
            if (http.Request.Headers.TryGetValue("X-Telegram-Bot-Api-Secret-Token", out var header) && !SameSecret(header.ToString(), o.WebhookSecret))
            {
                return Results.NotFound();
            }

            if (!RequestBodyLimit.Apply(http, MaxBodyBytes))
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            Update? update;
            try
            {
                update = await JsonSerializer.DeserializeAsync<Update>(http.Request.Body, JsonBotAPI.Options, http.RequestAborted);
            }
            catch (BadHttpRequestException e) when (RequestBodyLimit.IsTooLarge(e))
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }
            catch (JsonException)
            {
                return Results.BadRequest();
            }

            if (update?.Message is { Text: { } text } message)
            {
                // A failure here is a 500, and Telegram delivers the update again later.
                await cluster.GetGrain<ITelegramLinkGrain>(0).HandleMessageAsync(
                    new TelegramIncomingMessage(message.Chat.Id, text, message.From?.Username, message.From?.LanguageCode));
            }

            return Results.Ok();
        });
        return app;
    }

    private static bool SameSecret(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
