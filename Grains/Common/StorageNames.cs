namespace WgStream.Grains;

/// <summary>Names of the grain storage providers configured by the silo.</summary>
public static class StorageNames
{
    /// <summary>PostgreSQL through the Orleans AdoNet provider.</summary>
    public const string Default = "wg";

    /// <summary>Required by name by Orleans streaming for its subscription registry.</summary>
    public const string PubSub = "PubSubStore";
}
