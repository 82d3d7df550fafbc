using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Gateways.LiveKit;

/// <summary>
/// LiveKit access tokens: HS256 JWTs signed with the API secret, <c>iss</c> the API key, <c>sub</c>
/// the participant identity and a <c>video</c> grant object; and verification of the tokens LiveKit
/// signs its webhooks with.
/// </summary>
public sealed class LiveKitTokens(IOptions<LiveKitOptions> options, TimeProvider clock)
{
    private readonly JwtSecurityTokenHandler handler = new() { MapInboundClaims = false };

    private LiveKitOptions Options => options.Value;

    /// <summary>A token for one participant; <paramref name="videoGrant"/> is LiveKit's VideoGrant (camelCase keys).</summary>
    public string Create(string identity, IReadOnlyDictionary<string, object> videoGrant, TimeSpan lifetime, string? name = null)
    {
        var now = clock.GetUtcNow();
        var payload = new JwtPayload
        {
            [JwtRegisteredClaimNames.Iss] = Options.ApiKey,
            [JwtRegisteredClaimNames.Sub] = identity,
            [JwtRegisteredClaimNames.Nbf] = now.ToUnixTimeSeconds(),
            [JwtRegisteredClaimNames.Exp] = (now + lifetime).ToUnixTimeSeconds(),
            ["video"] = videoGrant.ToDictionary(),
        };
        if (name is not null)
        {
            payload["name"] = name;
        }

        var header = new JwtHeader(new SigningCredentials(SigningKey(), SecurityAlgorithms.HmacSha256));
        return handler.WriteToken(new JwtSecurityToken(header, payload));
    }

    /// <summary>
    /// Checks a webhook: the <c>Authorization</c> JWT is signed with our secret by our API key and
    /// current, and its <c>sha256</c> claim is the base64 SHA-256 of the exact body bytes.
    /// </summary>
    public bool VerifyWebhook(string? authorization, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return false;
        }

        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : authorization.Trim();
        ClaimsPrincipal principal;
        try
        {
            principal = handler.ValidateToken(token, new TokenValidationParameters
            {
                ValidIssuer = Options.ApiKey,
                ValidateAudience = false,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = Options.ClockSkew,
                IssuerSigningKey = SigningKey(),
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                LifetimeValidator = (notBefore, expires, _, parameters) =>
                    (notBefore is null || notBefore.Value - parameters.ClockSkew <= clock.GetUtcNow().UtcDateTime)
                    && expires is not null && expires.Value + parameters.ClockSkew >= clock.GetUtcNow().UtcDateTime,
            }, out _);
        }
        catch (Exception e) when (e is SecurityTokenException or ArgumentException)
        {
            return false;
        }

        var claimed = principal.FindFirst("sha256")?.Value;
        var actual = Convert.ToBase64String(SHA256.HashData(body));
        return claimed is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(claimed), Encoding.ASCII.GetBytes(actual));
    }

    private SymmetricSecurityKey SigningKey()
    {
        if (!Options.IsConfigured)
        {
            throw WgException.BadInput("Live streaming through LiveKit is not configured on this server.");
        }

        var secret = Encoding.UTF8.GetBytes(Options.ApiSecret);
        return secret.Length >= 32
            ? new SymmetricSecurityKey(secret)
            : throw new InvalidOperationException("LiveKit:ApiSecret must be at least 32 bytes for HS256.");
    }
}
