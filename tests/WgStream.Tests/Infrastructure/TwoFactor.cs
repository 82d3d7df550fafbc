using OtpNet;

namespace WgStream.Tests.Infrastructure;

/// <summary>Turns two-factor authentication on through the Api, as the settings page does.</summary>
public static class TwoFactor
{
    /// <summary>Starts the set-up, confirms it with a code and returns the authenticator (its confirming time step is used up).</summary>
    public static async Task<Totp> TurnOnAsync(GraphQLClient client, string password)
    {
        var secret = (await client.DataAsync("mutation($p: String!) { enableTotp(currentPassword: $p) { secret } }", new { p = password })).GetProperty("enableTotp").GetProperty("secret").GetString()!;
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        await client.DataAsync("mutation($c: String!) { confirmTotp(code: $c) }", new { c = totp.ComputeTotp() });
        return totp;
    }
}
