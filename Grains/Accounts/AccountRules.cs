using System.Net.Mail;
using System.Text.RegularExpressions;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Accounts;

/// <summary>What makes a username, an e-mail address and a password acceptable.</summary>
public static partial class AccountRules
{
    public const int PasswordMinLength = 8;
    public const int PasswordMaxLength = 128;

    public static string Username(string? value, string field = "username")
    {
        var username = value?.Trim() ?? string.Empty;
        if (!UsernamePattern().IsMatch(username))
        {
            throw WgException.BadInput("A username is 3 to 25 letters, digits or underscores.", field);
        }

        if (ReservedUsernames.Contains(username))
        {
            throw WgException.BadInput("This username is reserved. Choose another one.", field);
        }

        return username;
    }

    /// <summary>
    /// A username is the channel's address (<c>/alice</c>), so it must not be one of the web
    /// client's own pages or the Api's paths, nor look like the platform speaking.
    /// </summary>
    private static readonly HashSet<string> ReservedUsernames = new(StringComparer.OrdinalIgnoreCase)
    {
        // Web client routes.
        "app", "signup", "login", "logout", "settings", "dashboard", "categories", "category", "sponsorships",
        "notifications", "search", "directory", "following", "verify_email", "reset_password", "forgot_password",
        // Api paths.
        "graphql", "graphiql", "hubs", "media", "ingest", "webhooks", "metrics", "healthz", "readyz", "emotes", "api",
        "admin", "assets", "static", "favicon",
        // The platform's own voice.
        "wgstream", "wg_stream", "system", "support", "help", "about", "terms", "privacy", "moderator", "staff",
        "deleted_user", "anonymous", "everyone", "here",
    };

    public static string Email(string? value, string field = "email")
    {
        var email = value?.Trim() ?? string.Empty;
        if (email.Length is 0 or > 254
            || !MailAddress.TryCreate(email, out var parsed)
            || parsed.Address != email
            || !email.Contains('.', StringComparison.Ordinal))
        {
            throw WgException.BadInput("Enter a valid e-mail address.", field);
        }

        return email;
    }

    public static string Password(string? value, string username, string field = "password")
    {
        var password = value ?? string.Empty;
        if (password.Length < PasswordMinLength || password.Length > PasswordMaxLength)
        {
            throw WgException.BadInput($"A password is {PasswordMinLength} to {PasswordMaxLength} characters long.", field);
        }

        if (!password.Any(char.IsLetter) || !password.Any(c => !char.IsLetter(c)))
        {
            throw WgException.BadInput("A password needs at least one letter and one digit or symbol.", field);
        }

        if (password.Contains(username, StringComparison.OrdinalIgnoreCase))
        {
            throw WgException.BadInput("A password must not contain the username.", field);
        }

        return password;
    }

    [GeneratedRegex("^[A-Za-z0-9_]{3,25}$")]
    private static partial Regex UsernamePattern();
}
