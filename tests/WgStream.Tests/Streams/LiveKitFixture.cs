using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Streams;

/// <summary>
/// The Api with <c>Streams:Provider = LiveKit</c>, pointed at <see cref="FakeLiveKit"/>: a local HTTP
/// server standing in for LiveKit's Twirp API that checks what it is sent.
/// </summary>
public class LiveKitFixture : ApiFixture
{
    public const string ApiKey = "APItestkey";

    public string ApiSecret { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(33));

    public FakeLiveKit LiveKit { get; } = new();

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["WG_Streams__Provider"] = "LiveKit",
        ["WG_LiveKit__Url"] = LiveKit.Url,
        ["WG_LiveKit__ApiKey"] = ApiKey,
        ["WG_LiveKit__ApiSecret"] = ApiSecret,
        // Short for the tests (the shipped default is 30 s): a disagreement is acted on at the second poll that sees it.
        ["WG_LiveKit__PollInterval"] = "00:00:00.200",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        LiveKit.Dispose();
    }

    /// <summary>Signs like LiveKit does: an HS256 JWT from the API key with the body's base64 SHA-256 as <c>sha256</c>.</summary>
    public string SignWebhook(string body, string? secret = null, string issuer = ApiKey, DateTime? expires = null)
    {
        var now = DateTime.UtcNow;
        var token = new JwtSecurityToken(
            issuer: issuer,
            claims: [new Claim("sha256", Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body))))],
            notBefore: now.AddMinutes(-10),
            expires: expires ?? now.AddMinutes(5),
            signingCredentials: new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret ?? ApiSecret)), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    public async Task<HttpStatusCode> PostWebhookAsync(string body, string? authorization)
    {
        using var http = new HttpClient { BaseAddress = Api.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/livekit") { Content = new StringContent(body, Encoding.UTF8, "application/webhook+json") };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>An <c>ingress_started</c> / <c>ingress_ended</c> event as LiveKit sends it, for the channel's room.</summary>
    public static string IngressEvent(string kind, string ingressId, Guid channelId) => JsonSerializer.Serialize(new
    {
        @event = kind,
        id = $"EV_{Guid.NewGuid():N}",
        createdAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ingressInfo = new { ingressId, inputType = "RTMP_INPUT", roomName = channelId.ToString("N"), state = new { status = "ENDPOINT_PUBLISHING" } },
    });

    /// <summary>Posts <paramref name="body"/> signed as LiveKit would.</summary>
    public Task<HttpStatusCode> PostSignedWebhookAsync(string body) => PostWebhookAsync(body, SignWebhook(body));

    public async Task<bool> IsLiveAsync(string username) =>
        (await CreateClient().DataAsync($"{{ channel(username: \"{username}\") {{ isLive }} }}")).GetProperty("channel").GetProperty("isLive").GetBoolean();

    /// <summary>Validates a token the Api made, with the shared secret, and returns its payload.</summary>
    public JwtPayload Validate(string token)
    {
        new JwtSecurityTokenHandler { MapInboundClaims = false }.ValidateToken(token, new TokenValidationParameters
        {
            ValidIssuer = ApiKey,
            ValidateAudience = false,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ApiSecret)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        }, out var validated);
        return ((JwtSecurityToken)validated).Payload;
    }
}

[CollectionDefinition(Name)]
public sealed class LiveKitCollection : ICollectionFixture<LiveKitFixture>
{
    public const string Name = "LiveKit";
}
