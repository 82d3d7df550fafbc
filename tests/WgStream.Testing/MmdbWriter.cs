using System.Net;
using System.Text;

namespace WgStream.Testing;

/// <summary>
/// Writes a small MaxMind DB (format 2.0, IPv4, 24-bit records) with GeoIP2-City-shaped records, so
/// the tests check the real reader against networks they choose. Only what City records need: maps,
/// UTF-8 strings, unsigned integers and arrays.
/// See https://maxmind.github.io/MaxMind-DB/ for the format.
/// </summary>
public sealed class MmdbWriter
{
    private readonly List<(uint Network, int PrefixLength, int DataOffset)> networks = [];
    private readonly MemoryStream data = new();

    /// <summary>Adds an IPv4 network (e.g. 81.2.69.0/24) located in the city and country given.</summary>
    public MmdbWriter Add(string cidr, string? city, string country, string isoCode)
    {
        var parts = cidr.Split('/');
        var bytes = IPAddress.Parse(parts[0]).GetAddressBytes();
        var network = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        var offset = (int)data.Length;
        var record = new Dictionary<string, object>
        {
            ["country"] = new Dictionary<string, object> { ["iso_code"] = isoCode, ["names"] = new Dictionary<string, object> { ["en"] = country } },
        };
        if (city is not null)
        {
            record["city"] = new Dictionary<string, object> { ["names"] = new Dictionary<string, object> { ["en"] = city } };
        }

        Encode(data, record);
        networks.Add((network, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), offset));
        return this;
    }

    public void Save(string path) => File.WriteAllBytes(path, Build());

    public byte[] Build()
    {
        // The search tree: node 0 is the root; a record is another node, "no data" (= node count) or data.
        var nodes = new List<long[]> { new long[] { -1, -1 } };
        var dataRecords = new Dictionary<(int Node, int Side), int>();
        foreach (var (network, prefix, offset) in networks)
        {
            var node = 0;
            for (var bit = 0; bit < prefix; bit++)
            {
                var side = (int)((network >> (31 - bit)) & 1);
                if (bit == prefix - 1)
                {
                    dataRecords[(node, side)] = offset;
                    break;
                }

                if (nodes[node][side] < 0)
                {
                    nodes.Add([-1, -1]);
                    nodes[node][side] = nodes.Count - 1;
                }

                node = (int)nodes[node][side];
            }
        }

        var nodeCount = nodes.Count;
        using var output = new MemoryStream();
        for (var node = 0; node < nodeCount; node++)
        {
            for (var side = 0; side < 2; side++)
            {
                long value = dataRecords.TryGetValue((node, side), out var offset)
                    ? nodeCount + 16 + offset
                    : nodes[node][side] >= 0 ? nodes[node][side] : nodeCount;
                output.WriteByte((byte)(value >> 16));
                output.WriteByte((byte)(value >> 8));
                output.WriteByte((byte)value);
            }
        }

        output.Write(new byte[16]);
        data.Position = 0;
        data.CopyTo(output);
        output.Write([0xAB, 0xCD, 0xEF, .. Encoding.ASCII.GetBytes("MaxMind.com")]);
        Encode(output, new Dictionary<string, object>
        {
            ["node_count"] = (uint)nodeCount,
            ["record_size"] = (ushort)24,
            ["ip_version"] = (ushort)4,
            ["database_type"] = "GeoIP2-City",
            ["languages"] = new object[] { "en" },
            ["binary_format_major_version"] = (ushort)2,
            ["binary_format_minor_version"] = (ushort)0,
            ["build_epoch"] = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["description"] = new Dictionary<string, object> { ["en"] = "WG-Stream test database" },
        });
        return output.ToArray();
    }

    private static void Encode(Stream stream, object value)
    {
        switch (value)
        {
            case string text:
                var bytes = Encoding.UTF8.GetBytes(text);
                Control(stream, 2, bytes.Length);
                stream.Write(bytes);
                break;
            case ushort u16:
                Unsigned(stream, 5, u16);
                break;
            case uint u32:
                Unsigned(stream, 6, u32);
                break;
            case ulong u64:
                Unsigned(stream, 9, u64);
                break;
            case Dictionary<string, object> map:
                Control(stream, 7, map.Count);
                foreach (var (key, item) in map)
                {
                    Encode(stream, key);
                    Encode(stream, item);
                }

                break;
            case object[] array:
                Control(stream, 11, array.Length);
                foreach (var item in array)
                {
                    Encode(stream, item);
                }

                break;
            default:
                throw new NotSupportedException(value.GetType().Name);
        }
    }

    private static void Unsigned(Stream stream, int type, ulong value)
    {
        var bytes = new List<byte>();
        for (var v = value; v > 0; v >>= 8)
        {
            bytes.Insert(0, (byte)v);
        }

        Control(stream, type, bytes.Count);
        stream.Write(bytes.ToArray());
    }

    /// <summary>The control byte: type in the top three bits (extended types after it), size below (sizes up to 28 here).</summary>
    private static void Control(Stream stream, int type, int size)
    {
        if (size >= 29)
        {
            throw new NotSupportedException("Only short values are written.");
        }

        if (type <= 7)
        {
            stream.WriteByte((byte)((type << 5) | size));
        }
        else
        {
            stream.WriteByte((byte)size);
            stream.WriteByte((byte)(type - 7));
        }
    }
}
