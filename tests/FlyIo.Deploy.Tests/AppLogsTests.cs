using FlyIo.Machines;
using NUnit.Framework;

namespace FlyIo.Deploy.Tests;

/// <summary>The client's walk over Fly's logs API: pages of 100, oldest first, followed to the newest line.</summary>
[TestFixture]
public sealed class AppLogsTests
{
    [Test]
    public async Task A_machines_lines_are_read_across_pages_to_the_newest_and_other_machines_are_left_out()
    {
        await using var api = await LocalApi.StartAsync();
        using var client = api.Client();
        await client.CreateAppAsync("logs-app", "personal");
        api.Print("logs-app", "m1", Enumerable.Range(1, 1234).Select(i => $"line {i}"));
        api.Print("logs-app", "m2", new[] { "another machine" });

        var before = client.RequestCount;
        var lines = await client.GetAppLogsAsync("logs-app", "m1");

        Assert.That(lines.Select(l => l.Message), Is.EqualTo(Enumerable.Range(1, 1234).Select(i => $"line {i}")));
        Assert.That(lines.Select(l => l.Instance), Is.All.EqualTo("m1"));
        Assert.That(client.RequestCount - before, Is.EqualTo(14), "12 full pages, one of 34 lines, and an empty one");
        Assert.That((await client.GetAppLogsAsync("logs-app")).Count, Is.EqualTo(1235), "no instance filter: every machine");
    }

    [Test]
    public async Task The_pages_read_are_bounded()
    {
        await using var api = await LocalApi.StartAsync();
        using var client = api.Client();
        client.MaxLogPages = 3;
        await client.CreateAppAsync("logs-app", "personal");
        api.Print("logs-app", "m1", Enumerable.Range(1, 1000).Select(i => $"line {i}"));

        var lines = await client.GetAppLogsAsync("logs-app", "m1");

        Assert.That(lines.Count, Is.EqualTo(300));
    }
}

/// <summary>The log tail a failed deploy shows keeps the line that says what went wrong, however long the stack after it.</summary>
[TestFixture]
public sealed class LogTailCauseTests
{
    [Test]
    public void A_node_crash_keeps_its_error_line_ahead_of_a_long_require_stack()
    {
        var lines = new List<string> { "> api@1.0.0 start", "> node index.js", "node:internal/modules/cjs/loader:1228", "  throw err;", "  ^", "",
            "Error: Cannot find module '@prisma/client'", "Require stack:", "- /app/db.js", "- /app/index.js" };
        lines.AddRange(Enumerable.Range(0, 12).Select(i => $"    at Module._load (node:internal/modules/cjs/loader:{1000 + i}:12)"));
        lines.AddRange(new[] { "{", "  code: 'MODULE_NOT_FOUND',", "  requireStack: [ '/app/db.js', '/app/index.js' ]", "}", "", "Node.js v20.20.2",
            " INFO Main child exited normally with code: 1" });

        var text = MachineLogTail.Format("m1", lines.ToArray())!;

        Assert.That(text, Does.Contain("Error: Cannot find module '@prisma/client'"));
        Assert.That(text.IndexOf("Cannot find module", StringComparison.Ordinal), Is.LessThan(text.IndexOf("requireStack", StringComparison.Ordinal)));
        Assert.That(text, Does.Contain("Main child exited"), "the tail itself is still there");
    }

    [Test]
    public void A_dotnet_crash_keeps_Unhandled_exception_and_python_its_traceback_start()
    {
        var dotnet = new[] { "Unhandled exception. System.InvalidOperationException: No connection string" }
            .Concat(Enumerable.Range(0, 30).Select(i => $"   at App.Frame{i}()")).ToArray();
        var python = new[] { "Traceback (most recent call last):" }
            .Concat(Enumerable.Range(0, 30).Select(i => $"  File \"/app/m{i}.py\", line {i}, in f")).Append("ModuleNotFoundError: No module named 'openai'").ToArray();

        Assert.That(MachineLogTail.Format("m", dotnet), Does.Contain("Unhandled exception. System.InvalidOperationException"));
        Assert.That(MachineLogTail.Format("m", python), Does.Contain("Traceback (most recent call last):").And.Contain("No module named 'openai'"));
    }

    [Test]
    public void A_short_log_is_shown_whole_with_no_repeat()
    {
        var lines = new[] { "Error: boom", "    at x (/app/a.js:1:1)", "Node.js v20" };

        var text = MachineLogTail.Format("m", lines)!;

        Assert.That(text.Split("Error: boom").Length - 1, Is.EqualTo(1));
    }
}
