using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WgStream.Gateways.Janus;

/// <summary>
/// Janus's signed tokens (<c>token_auth_secret</c>): <c>&lt;expiry&gt;,janus,janus.plugin.streaming:&lt;base64
/// HMAC-SHA1&gt;</c>. Janus checks the signature and the expiry itself, so a token needs no call to
/// Janus to issue and cannot be used for any other plugin or past its time.
/// </summary>
public static class JanusTokens
{
    public const string StreamingPlugin = "janus.plugin.streaming";

    public static string Sign(string secret, DateTimeOffset expiresAt)
    {
        var data = string.Create(CultureInfo.InvariantCulture, $"{expiresAt.ToUnixTimeSeconds()},janus,{StreamingPlugin}");
        var signature = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(data));
        return $"{data}:{Convert.ToBase64String(signature)}";
    }
}
