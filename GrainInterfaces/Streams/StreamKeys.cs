using System.Security.Cryptography;
using System.Text;

namespace WgStream.GrainInterfaces.Streams;

/// <summary>Stream keys: <c>live_</c> and 32 random bytes (base64url), looked up by SHA-256.</summary>
public static class StreamKeys
{
    public const string Prefix = "live_";

    public static string NewKey() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Lower-case hex SHA-256. Keys carry 256 random bits, so a plain hash is safe to store.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool HashesEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
