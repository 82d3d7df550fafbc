using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WgStream.Grains.Infrastructure.Secrets;
using WgStream.Grains.Streams;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Tests.Streams;

/// <summary>One AES-256-GCM key (<c>Streams:KeyEncryptionKey</c>) protects stream keys and TOTP secrets, each bound to its kind and owner.</summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed class SecretProtectorTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private static SecretProtector Protector(byte[]? key = null) => Protector(Convert.ToBase64String(key ?? Key), Environments.Production);

    private static SecretProtector Protector(string? key, string environment) =>
        new(Options.Create(new StreamOptions { KeyEncryptionKey = key }), new HostingEnvironment { EnvironmentName = environment }, NullLogger<SecretProtector>.Instance);

    [Fact]
    public void Stream_keys_stored_by_the_previous_version_still_open()
    {
        // What StreamKeyProtector wrote: version 1, nonce, ciphertext, tag; the bare channel id as authenticated data.
        var channelId = Guid.NewGuid();
        var plaintext = Encoding.UTF8.GetBytes("live_old-key");
        var blob = new byte[1 + 12 + plaintext.Length + 16];
        blob[0] = 1;
        RandomNumberGenerator.Fill(blob.AsSpan(1, 12));
        using (var aes = new AesGcm(Key, 16))
        {
            aes.Encrypt(blob.AsSpan(1, 12), plaintext, blob.AsSpan(13, plaintext.Length), blob.AsSpan(blob.Length - 16), channelId.ToByteArray());
        }

        Assert.Equal("live_old-key", Protector().Unprotect(SecretKind.StreamKey, channelId, blob));
    }

    [Fact]
    public void A_ciphertext_opens_only_as_its_own_kind_for_its_own_owner_under_its_own_key()
    {
        var owner = Guid.NewGuid();
        var protector = Protector();
        var totp = protector.Protect(SecretKind.TotpSecret, owner, "JBSWY3DPEHPK3PXP");

        Assert.Equal("JBSWY3DPEHPK3PXP", protector.Unprotect(SecretKind.TotpSecret, owner, totp));
        Assert.DoesNotContain("JBSWY3DPEHPK3PXP", Encoding.UTF8.GetString(totp), StringComparison.Ordinal);
        Assert.NotEqual(totp, protector.Protect(SecretKind.TotpSecret, owner, "JBSWY3DPEHPK3PXP"));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(SecretKind.TotpSecret, Guid.NewGuid(), totp));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(SecretKind.StreamKey, owner, totp));
        Assert.ThrowsAny<CryptographicException>(() => Protector(RandomNumberGenerator.GetBytes(32)).Unprotect(SecretKind.TotpSecret, owner, totp));
        var tampered = (byte[])totp.Clone();
        tampered[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(SecretKind.TotpSecret, owner, tampered));
    }

    [Fact]
    public void A_key_that_is_not_32_base64_bytes_is_refused_at_start()
    {
        Assert.Throws<InvalidOperationException>(() => Protector(RandomNumberGenerator.GetBytes(16)));
        Assert.Throws<InvalidOperationException>(() => Protector("not base64!", Environments.Production));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void In_production_a_missing_key_is_refused_with_what_to_set_and_how_to_make_one(string? key)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Protector(key, Environments.Production));
        Assert.Contains("WG_Streams__KeyEncryptionKey", refused.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void In_production_a_configured_key_is_used()
    {
        var protector = Protector(Convert.ToBase64String(Key), Environments.Production);
        Assert.False(protector.UsesDevelopmentKey);
        var owner = Guid.NewGuid();
        Assert.Equal("JBSWY3DPEHPK3PXP", protector.Unprotect(SecretKind.TotpSecret, owner, protector.Protect(SecretKind.TotpSecret, owner, "JBSWY3DPEHPK3PXP")));
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Staging")]
    public void Outside_production_a_missing_key_falls_back_to_the_development_key(string environment)
    {
        Assert.True(Protector(null, environment).UsesDevelopmentKey);
    }
}
