using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Channels;

namespace WgStream.Grains.Streams;

public static class StreamRules
{
    public const int TitleMax = 140;

    public static string Title(string value)
    {
        var title = ChannelRules.CleanLine(value);
        if (title.Length is 0 or > TitleMax)
        {
            throw WgException.BadInput($"A stream title is 1 to {TitleMax} characters.", "title");
        }

        return title;
    }
}
