using System.Collections.Generic;
using System.Linq;
using FlyIo.Json;

namespace FlyIo.Machines;

/// <summary>A port's (or http_service's) <c>tls_options</c>, as fly-go's TLSOptions names them.</summary>
public sealed class TlsOptions
{
    public List<string>? Alpn { get; set; }
    public List<string>? Versions { get; set; }
    public bool? DefaultSelfSigned { get; set; }

    public JsonObject ToJson() => Js.Obj().Set("alpn", MachineConfig.Strings(Alpn)).Set("versions", MachineConfig.Strings(Versions))
        .Set("default_self_signed", DefaultSelfSigned);

    public static TlsOptions? FromJson(JsonObject? o) => o is null ? null : new TlsOptions
    {
        Alpn = MachineConfig.StringList(o["alpn"]),
        Versions = MachineConfig.StringList(o["versions"]),
        DefaultSelfSigned = o.GetBool("default_self_signed"),
    };
}

/// <summary>
/// A port's <c>http_options</c> (fly-go HTTPOptions). Response header values stay JSON because fly.toml allows a
/// string, a list of strings or <c>false</c> (remove the header), and Fly takes them as written.
/// </summary>
public sealed class HttpOptions
{
    public bool? Compress { get; set; }
    public bool? H2Backend { get; set; }
    public long? IdleTimeout { get; set; }
    public long? HeadersReadTimeout { get; set; }
    public bool? ResponsePristine { get; set; }
    public List<KeyValuePair<string, JsonNode>>? ResponseHeaders { get; set; }

    public JsonObject ToJson()
    {
        var o = Js.Obj().Set("compress", Compress).Set("h2_backend", H2Backend).Set("idle_timeout", IdleTimeout)
            .Set("headers_read_timeout", HeadersReadTimeout);
        if (ResponseHeaders is not null || ResponsePristine is not null)
        {
            JsonObject? headers = null;
            if (ResponseHeaders is not null)
            {
                headers = Js.Obj();
                foreach (var h in ResponseHeaders)
                {
                    headers.Set(h.Key, h.Value);
                }
            }

            o.Set("response", Js.Obj().Set("headers", headers).Set("pristine", ResponsePristine));
        }

        return o;
    }

    public static HttpOptions? FromJson(JsonObject? o)
    {
        if (o is null)
        {
            return null;
        }

        var response = o.GetObject("response");
        return new HttpOptions
        {
            Compress = o.GetBool("compress"),
            H2Backend = o.GetBool("h2_backend"),
            IdleTimeout = o.GetLong("idle_timeout"),
            HeadersReadTimeout = o.GetLong("headers_read_timeout"),
            ResponsePristine = response?.GetBool("pristine"),
            ResponseHeaders = response?.GetObject("headers")?.Members.Select(m => new KeyValuePair<string, JsonNode>(m.Key, m.Value)).ToList(),
        };
    }
}

/// <summary>A port's <c>proxy_proto_options</c> (fly-go ProxyProtoOptions).</summary>
public sealed class ProxyProtoOptions
{
    public string? Version { get; set; }

    public JsonObject ToJson() => Js.Obj().Set("version", Version);

    public static ProxyProtoOptions? FromJson(JsonObject? o) => o is null ? null : new ProxyProtoOptions { Version = o.GetString("version") };
}

/// <summary>One HTTP check header as the Machines API takes it: a name and its values.</summary>
public sealed record HttpHeader(string Name, IReadOnlyList<string> Values);
