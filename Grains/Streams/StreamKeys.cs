using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WgStream.Grains.Streams;

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

/// <summary>
/// Encrypts stream keys for storage with AES-256-GCM under <c>Streams:KeyEncryptionKey</c>, so the
/// owner's dashboard can show the key again while a database dump alone reveals nothing usable.
/// Layout: version (1), nonce (12), ciphertext, tag (16); the channel id is authenticated data.
/// </summary>
public sealed partial class StreamKeyProtector
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    // Anyone can read this in the source: it only keeps development databases from holding plain keys.
    private static readonly byte[] DevelopmentKey = SHA256.HashData("WG-Stream development stream-key encryption key; never use in production"u8);

    private readonly byte[] key;

    public StreamKeyProtector(IOptions<StreamOptions> options, ILogger<StreamKeyProtector> logger)
    {
        var configured = options.Value.KeyEncryptionKey;
        if (string.IsNullOrWhiteSpace(configured))
        {
            LogDevelopmentKey(logger);
            key = DevelopmentKey;
            return;
        }

        try
        {
            key = Convert.FromBase64String(configured.Trim());
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException("Streams:KeyEncryptionKey must be base64 (32 bytes).", e);
        }

        if (key.Length != 32)
        {
            throw new InvalidOperationException($"Streams:KeyEncryptionKey must be 32 bytes; it is {key.Length}.");
        }
    }

    public bool UsesDevelopmentKey => ReferenceEquals(key, DevelopmentKey);

    public byte[] Protect(Guid channelId, string streamKey)
    {
        var plaintext = Encoding.UTF8.GetBytes(streamKey);
        var blob = new byte[1 + NonceSize + plaintext.Length + TagSize];
        blob[0] = Version;
        var nonce = blob.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(1 + NonceSize, plaintext.Length), blob.AsSpan(blob.Length - TagSize), channelId.ToByteArray());
        return blob;
    }

    public string Unprotect(Guid channelId, byte[] blob)
    {
        if (blob.Length < 1 + NonceSize + TagSize || blob[0] != Version)
        {
            throw new CryptographicException("Not a stream key ciphertext this version wrote.");
        }

        var plaintext = new byte[blob.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(blob.AsSpan(1, NonceSize), blob.AsSpan(1 + NonceSize, plaintext.Length), blob.AsSpan(blob.Length - TagSize), plaintext, channelId.ToByteArray());
        return Encoding.UTF8.GetString(plaintext);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "!!! Streams:KeyEncryptionKey is not set: stream keys are encrypted with the built-in DEVELOPMENT key. " +
        "Set WG_Streams__KeyEncryptionKey to base64 of 32 random bytes (openssl rand -base64 32) in any real deployment. !!!")]
    private static partial void LogDevelopmentKey(ILogger logger);
}
