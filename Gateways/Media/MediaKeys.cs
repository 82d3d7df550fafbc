namespace WgStream.Gateways.Media;

/// <summary>The one check of a storage key that every store applies before touching anything.</summary>
internal static class MediaKeys
{
    public const int MaxLength = 512;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="key"/> is a plain relative path: no <c>..</c>, no root, no backslash.</summary>
    public static string Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || key.Length > MaxLength)
        {
            throw new ArgumentException($"A media key must have 1 to {MaxLength} characters.", nameof(key));
        }

        if (key[0] == '/' || Path.IsPathRooted(key))
        {
            throw new ArgumentException($"A media key must be relative: \"{key}\".", nameof(key));
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                throw new ArgumentException($"A media key must not contain empty, \".\" or \"..\" segments: \"{key}\".", nameof(key));
            }

            foreach (var c in segment)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                {
                    throw new ArgumentException($"A media key may only contain ASCII letters, digits, '-', '_', '.' and '/': \"{key}\".", nameof(key));
                }
            }
        }

        return key;
    }

    public static string Url(string baseUrl, string key) => $"{baseUrl.TrimEnd('/')}/{Validate(key)}";
}
