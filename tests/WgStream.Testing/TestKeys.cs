using System.Security.Cryptography;

namespace WgStream.Tests.Infrastructure;

/// <summary>Keys the test processes are configured with, as an operator must in Production.</summary>
public static class TestKeys
{
    /// <summary>
    /// <c>Streams:KeyEncryptionKey</c> for every Api, silo and test cluster a test starts. One
    /// fixed value (public, like the development key, and only ever used on throw-away test
    /// databases) so that processes sharing a database, or restarted over it, read what the
    /// others encrypted.
    /// </summary>
    public static readonly string KeyEncryptionKey = Convert.ToBase64String(SHA256.HashData("WG-Stream test processes' key-encryption key"u8));
}
