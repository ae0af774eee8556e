using FlyIo.AppModel;
using FlyIo.Diagnostics;
using FlyIo.AppModel.Units;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Rules;

/// <summary>flyctl's validateServiceCheckDurations: service checks under 1 s or over 1 min are clamped (a warning).</summary>
internal sealed class ServiceCheckRules : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        foreach (var service in context.AllServices())
        {
            foreach (var list in new[] { "checks", "tcp_checks", "http_checks" })
            {
                foreach (var check in TomlRead.Tables(service, list))
                {
                    CheckDuration(context, check, list, "interval", zeroAllowed: false);
                    CheckDuration(context, check, list, "timeout", zeroAllowed: false);
                    CheckDuration(context, check, list, "grace_period", zeroAllowed: true);
                }
            }
        }
    }

    private static void CheckDuration(RuleContext context, TomlTable check, string list, string key, bool zeroAllowed)
    {
        var value = TomlRead.Get(check, key);
        if (TomlRead.DurationSeconds(value, 0.001) is not { } seconds)
        {
            return;
        }

        if (seconds < 1 && !(zeroAllowed && seconds == 0))
        {
            context.Sink.Warning(FlyCodes.ServiceCheckDuration, value!.Position,
                $"The {list} {key} is {GoDuration.Format(seconds)}, under 1 second; Fly raises it to 1 second. Write at least \"1s\" (a bare integer here means milliseconds).");
        }
        else if (seconds > 60)
        {
            context.Sink.Warning(FlyCodes.ServiceCheckDuration, value!.Position,
                $"The {list} {key} is {GoDuration.Format(seconds)}, over 1 minute; Fly lowers it to 1 minute. Write \"1m\" or less.");
        }
    }
}
