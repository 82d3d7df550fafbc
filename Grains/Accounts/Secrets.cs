using System.Security.Cryptography;
using System.Text;

namespace WgStream.Grains.Accounts;

/// <summary>
/// High-entropy secrets (session tokens, reset tokens, recovery codes). These are random enough that
/// a plain SHA-256 is a safe way to store them: there is nothing to brute-force.
/// </summary>
public static class Secrets
{
    public static string NewToken(int bytes = 32) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string hash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(hash));

    /// <summary>A six-digit code for e-mail verification; attempts are capped, so six digits suffice.</summary>
    public static string NewNumericCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A recovery code such as <c>k7q2-9xmd-4hpa</c>: easy to type, 60 bits of entropy.</summary>
    public static string NewRecoveryCode()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        var chars = new char[14];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = i is 4 or 9 ? '-' : alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return new string(chars);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
