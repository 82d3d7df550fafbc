namespace WgStream.GrainInterfaces.Streams;

/// <summary>
/// One rung of the quality ladder (<c>Streams:Renditions:N</c>). A rung without a height passes the
/// encoder's video through untouched (no CPU spent); one with a height is scaled down to it and
/// encoded at the bitrate. Rungs taller than the source are left out for that broadcast.
/// </summary>
public sealed class RenditionOptions
{
    /// <summary>What the player's quality menu shows, and the rendition's directory name: letters, digits, <c>-</c> and <c>_</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Output height in pixels (the width follows the aspect ratio); 0 is the source, passed through.</summary>
    public int Height { get; set; }

    /// <summary>Video bitrate of an encoded rung, in kbit/s (the peak is 10 % above it).</summary>
    public int VideoBitrateKbps { get; set; }

    /// <summary>Highest frame rate of an encoded rung; 0 keeps the source's.</summary>
    public int Fps { get; set; }

    /// <summary>AAC bitrate of an encoded rung's audio, in kbit/s (the source rung copies the encoder's audio).</summary>
    public int AudioBitrateKbps { get; set; } = 96;

    public bool IsPassthrough => Height <= 0;

    /// <summary>Source passthrough, 480p and 360p: what one 2-core machine holds for one stream.</summary>
    public static IReadOnlyList<RenditionOptions> Defaults { get; } =
    [
        new() { Name = "source" },
        new() { Name = "480p", Height = 480, VideoBitrateKbps = 1400, Fps = 30 },
        new() { Name = "360p", Height = 360, VideoBitrateKbps = 800, Fps = 30, AudioBitrateKbps = 64 },
    ];
}
