using FlyIo.AppModel;
using FlyIo.Diagnostics;
using FlyIo.AppModel.Units;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Rules;

/// <summary>flyctl's validateChecksSection for [checks.&lt;name&gt;]: type, interval &gt;= 2 s, timeout &lt;= 60 s, and a port.</summary>
internal sealed class TopLevelCheckRules : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        var httpPort = TomlRead.Get(TomlRead.Table(context.Root, "http_service"), "internal_port");
        switch (TomlRead.Get(context.Root, "checks"))
        {
            case TomlTable named:
                foreach (var entry in named)
                {
                    if (entry.Value is TomlTable check)
                    {
                        CheckOne(context, entry.Key, check, entry.KeyPosition, httpPort);
                    }
                }

                break;
            case TomlArray legacy:
                foreach (var check in legacy)
                {
                    if (check is TomlTable table)
                    {
                        CheckOne(context, TomlRead.String(table, "name") ?? "?", table, table.Position, httpPort);
                    }
                }

                break;
        }
    }

    private static void CheckOne(RuleContext context, string name, TomlTable check, TomlPosition at, TomlValue? httpPort)
    {
        var type = TomlRead.Get(check, "type");
        if (type is not TomlString { Value: "http" or "tcp" })
        {
            var shown = type is TomlString s ? $"'{s.Value}'" : "missing";
            context.Sink.Error(FlyCodes.TopLevelCheckType, type?.Position ?? at,
                $"Check '{name}' has a {shown} type; flyctl requires type = \"http\" or type = \"tcp\". Add or fix the type.");
        }

        var interval = TomlRead.Get(check, "interval");
        if (TomlRead.DurationSeconds(interval, 0.001) is { } intervalSeconds && intervalSeconds < 2)
        {
            context.Sink.Error(FlyCodes.TopLevelCheckInterval, interval!.Position,
                $"Check '{name}' interval is too short ({GoDuration.Format(intervalSeconds)}); the minimum is 2 seconds. Write interval = \"2s\" or more (a bare integer means milliseconds).");
        }

        var timeout = TomlRead.Get(check, "timeout");
        if (TomlRead.DurationSeconds(timeout, 0.001) is { } timeoutSeconds && timeoutSeconds > 60)
        {
            context.Sink.Error(FlyCodes.TopLevelCheckTimeout, timeout!.Position,
                $"Check '{name}' timeout is too long ({GoDuration.Format(timeoutSeconds)}); the maximum is 60 seconds. Write timeout = \"60s\" or less.");
        }

        if (TomlRead.Get(check, "port") is null && httpPort is null)
        {
            context.Sink.Error(FlyCodes.TopLevelCheckPort, at,
                $"Check '{name}' has no port and there is no [http_service] internal_port to default to; add port = <the port your app listens on>.");
        }
    }
}
