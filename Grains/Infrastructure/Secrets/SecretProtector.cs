using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.Grains.Streams;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Infrastructure.Secrets;

/// <summary>What a protected secret is; each kind binds its ciphertext to its owner differently.</summary>
public enum SecretKind
{
    /// <summary>A channel's stream key (owner: the channel id), in <c>stream_keys.ciphertext</c>.</summary>
    StreamKey,

    /// <summary>A user's TOTP secret (owner: the user id), in the user grain's state.</summary>
    TotpSecret,
}

/// <summary>
/// Encrypts secrets the platform must be able to read again (stream keys for the dashboard, TOTP
/// secrets to check codes) with AES-256-GCM under <c>Streams:KeyEncryptionKey</c>, so a database
/// dump alone reveals nothing usable. Layout: version (1), nonce (12), ciphertext, tag (16). The
/// authenticated data names the kind and the owner, so a ciphertext copied to another row or used
/// as another kind fails to decrypt. Stream keys keep the bare channel id as their authenticated
/// data (what the first version wrote), so keys stored before TOTP secrets were added still open.
/// </summary>
public sealed partial class SecretProtector
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    // Anyone can read this in the source: it only keeps development databases from holding plain secrets.
    private static readonly byte[] DevelopmentKey = SHA256.HashData("WG-Stream development stream-key encryption key; never use in production"u8);

    private readonly byte[] key;

    /// <summary>Why a Production host will not start without a key; names the setting and how to make one.</summary>
    public const string MissingKeyMessage =
        "Streams:KeyEncryptionKey is not set, and this host runs in Production: the built-in development key is public, so " +
        "stream keys and TOTP secrets would be readable from any database dump. Set WG_Streams__KeyEncryptionKey to base64 of " +
        "32 random bytes (generate one with: openssl rand -base64 32), the same on every silo, kept in your secret store and never " +
        "changed (what is stored under it cannot be read under another key). For a local try-out, ./wg run generates one; " +
        "DOTNET_ENVIRONMENT=Development allows the development key.";

    public SecretProtector(IOptions<StreamOptions> options, IHostEnvironment environment, ILogger<SecretProtector> logger)
    {
        var configured = options.Value.KeyEncryptionKey;
        if (string.IsNullOrWhiteSpace(configured))
        {
            // A forgotten setting must not quietly become a public key on a real deployment.
            if (environment.IsProduction())
            {
                throw new InvalidOperationException(MissingKeyMessage);
            }

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

    public byte[] Protect(SecretKind kind, Guid owner, string secret)
    {
        var plaintext = Encoding.UTF8.GetBytes(secret);
        var blob = new byte[1 + NonceSize + plaintext.Length + TagSize];
        blob[0] = Version;
        var nonce = blob.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(1 + NonceSize, plaintext.Length), blob.AsSpan(blob.Length - TagSize), AssociatedData(kind, owner));
        return blob;
    }

    /// <summary>The secret; a <see cref="CryptographicException"/> if the blob was not made by <see cref="Protect"/> for this kind and owner under this key.</summary>
    public string Unprotect(SecretKind kind, Guid owner, byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (blob.Length < 1 + NonceSize + TagSize || blob[0] != Version)
        {
            throw new CryptographicException("Not a ciphertext this version wrote.");
        }

        var plaintext = new byte[blob.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(blob.AsSpan(1, NonceSize), blob.AsSpan(1 + NonceSize, plaintext.Length), blob.AsSpan(blob.Length - TagSize), plaintext, AssociatedData(kind, owner));
        return Encoding.UTF8.GetString(plaintext);
    }

    private static byte[] AssociatedData(SecretKind kind, Guid owner) => kind switch
    {
        SecretKind.StreamKey => owner.ToByteArray(),
        SecretKind.TotpSecret => [.. "wg-totp-secret:"u8, .. owner.ToByteArray()],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "!!! Streams:KeyEncryptionKey is not set: stream keys and TOTP secrets are encrypted with the built-in DEVELOPMENT key " +
        "(allowed outside Production only). Set WG_Streams__KeyEncryptionKey to base64 of 32 random bytes (openssl rand -base64 32) in any real deployment. !!!")]
    private static partial void LogDevelopmentKey(ILogger logger);
}
