using System.Security.Cryptography;
using Konscious.Security.Cryptography;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Grains.Accounts;

/// <summary>
/// Argon2id password hashes in the PHC string format
/// (<c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>), so cost can be raised later without
/// invalidating stored hashes: each hash carries the parameters it was made with.
/// </summary>
public sealed class PasswordHasher(IOptions<AccountOptions> options)
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public Task<string> HashAsync(string password)
    {
        var o = options.Value;
        // Argon2 is deliberately slow; keep it off the Orleans scheduler so other grains keep running.
        return Task.Run(() =>
        {
            var salt = RandomNumberGenerator.GetBytes(SaltBytes);
            var hash = Compute(password, salt, o.Argon2MemoryKiB, o.Argon2Iterations, o.Argon2Parallelism, HashBytes);
            return $"$argon2id$v=19$m={o.Argon2MemoryKiB},t={o.Argon2Iterations},p={o.Argon2Parallelism}${B64(salt)}${B64(hash)}";
        });
    }

    /// <summary>
    /// True when the password matches. An empty one never does (no account can have one) and is
    /// answered at once: Argon2 cannot hash an empty input, and a caller who sent nothing learns nothing.
    /// </summary>
    public Task<bool> VerifyAsync(string password, string encoded) =>
        string.IsNullOrEmpty(password) ? Task.FromResult(false) : Task.Run(() => Verify(password, encoded));

    /// <summary>
    /// The work of checking a password against a hash made with the current parameters, for a
    /// login that names no account: the answer then takes as long as a wrong password would, so
    /// the time does not tell a stranger which logins exist. Always false.
    /// </summary>
    public async Task<bool> VerifyNobodyAsync(string password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return false;
        }

        var o = options.Value;
        await Task.Run(() => Compute(password, new byte[SaltBytes], o.Argon2MemoryKiB, o.Argon2Iterations, o.Argon2Parallelism, HashBytes));
        return false;
    }

    private static bool Verify(string password, string encoded)
    {
        var parts = encoded.Split('$');
        if (parts.Length != 6 || parts[1] != "argon2id")
        {
            return false;
        }

        int m = 0, t = 0, p = 0;
        foreach (var kv in parts[3].Split(','))
        {
            var pair = kv.Split('=');
            var value = int.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture);
            switch (pair[0])
            {
                case "m": m = value; break;
                case "t": t = value; break;
                case "p": p = value; break;
            }
        }

        var salt = Convert.FromBase64String(Pad(parts[4]));
        var expected = Convert.FromBase64String(Pad(parts[5]));
        var actual = Compute(password, salt, m, t, p, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static byte[] Compute(string password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length)
    {
        using var argon = new Argon2id(System.Text.Encoding.UTF8.GetBytes(password))
        {
            Salt = salt,
            MemorySize = memoryKiB,
            Iterations = iterations,
            DegreeOfParallelism = parallelism,
        };
        return argon.GetBytes(length);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static string Pad(string s) => s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
}
