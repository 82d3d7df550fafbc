using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Channels;

namespace WgStream.Grains.Sponsorship;

/// <summary>Limits and clean-up for what channel owners type into a plan.</summary>
public static class SponsorshipRules
{
    public const int TitleMax = 60;
    public const int DescriptionMax = 500;

    public static string Title(string value)
    {
        var title = ChannelRules.CleanLine(value);
        if (title.Length is 0 or > TitleMax)
        {
            throw WgException.BadInput($"A plan title is 1 to {TitleMax} characters.", "title");
        }

        return title;
    }

    public static string Description(string value)
    {
        var description = ChannelRules.Clean(value, keepNewlines: true).Trim();
        if (description.Length > DescriptionMax)
        {
            throw WgException.BadInput($"A plan description is at most {DescriptionMax} characters.", "description");
        }

        return description;
    }

    /// <summary>Minor units (cents) within the configured range.</summary>
    public static long Price(long value, SponsorshipOptions options)
    {
        if (value < options.PriceMin || value > options.PriceMax)
        {
            throw WgException.BadInput($"A price is {options.PriceMin} to {options.PriceMax} minor units (cents).", "price");
        }

        return value;
    }

    public static string Currency(string value, SponsorshipOptions options)
    {
        var currency = value.Trim().ToLowerInvariant();
        var allowed = options.AllowedCurrencies;
        if (!allowed.Contains(currency))
        {
            throw WgException.BadInput($"The currency must be one of: {string.Join(", ", allowed)}.", "currency");
        }

        return currency;
    }
}
