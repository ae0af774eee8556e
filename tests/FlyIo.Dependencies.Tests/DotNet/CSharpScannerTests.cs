using FlyIo.Sdk.Benchmarks;
using System.IO;
using System.Linq;
using FlyIo.AppModel.CSharp;
using FlyIo.Dependencies.CSharp;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.DotNet;

public class CSharpScannerTests
{
    private static CSharpSources Sources(string code) => new(new[] { new CSharpSourceFile("Program.cs", code) });

    private static SourceScanResult Scan(string code) => CSharpSourceScanner.Scan(Sources(code));

    private static string[] Keys(string code) => Scan(code).Reads.Select(r => r.Key + (r.HasFallback ? "?" : "!")).ToArray();

    [Test]
    public void Lexer_skips_comments_and_every_string_form()
    {
        const string code = "// GetEnvironmentVariable(\"A\")\n" +
                            "/* GetEnvironmentVariable(\"B\") */\n" +
                            "var a = \"Environment.GetEnvironmentVariable(\\\"C\\\")\";\n" +
                            "var b = @\"Environment.GetEnvironmentVariable(\"\"D\"\")\";\n" +
                            "var c = \"\"\"\n  Environment.GetEnvironmentVariable(\"E\")\n  \"\"\";\n" +
                            "var d = $$\"\"\"{ Environment.GetEnvironmentVariable(\"F\") }\"\"\";\n" +
                            "var e = $@\"{{ Environment.GetEnvironmentVariable(\"\"G\"\") }}\";\n" +
                            "var f = '\"'; var g = '\\'';\n" +
                            "#if NEVER_A_READ Environment.GetEnvironmentVariable(\"H\")\n#endif\n" +
                            "var h = Environment.GetEnvironmentVariable(\"REAL\");\n";
        Assert.That(Keys(code), Is.EqualTo(new[] { "REAL!" }));
    }

    [Test]
    public void Reads_inside_interpolation_holes_are_found_with_nested_braces_and_strings()
    {
        const string code = "var s = $\"{config[\"A:B\"]} and {new { X = Environment.GetEnvironmentVariable(\"IN_HOLE\") }.X} {DateTime.Now:HH:mm}\";\n" +
                            "var t = @$\"{builder.Configuration[\"Verbatim:Hole\"]}\";\n" +
                            "var u = $$\"\"\"{ \"json\": {{cfg[\"Raw:Hole\"]}} }\"\"\";\n" +
                            "var after = Environment.GetEnvironmentVariable(\"AFTER\");\n";
        Assert.That(Keys(code), Is.EqualTo(new[] { "A:B!", "IN_HOLE!", "Verbatim:Hole!", "Raw:Hole!", "AFTER!" }));
    }

    [Test]
    public void Fallbacks_and_null_checks_make_a_read_optional_but_throw_does_not()
    {
        const string code = "var a = Environment.GetEnvironmentVariable(\"A\") ?? \"x\";\n" +
                            "var b = Environment.GetEnvironmentVariable(\"B\") ?? throw new Exception();\n" +
                            "var c = configuration.GetValue<int>(\"C:Port\", 8080);\n" +
                            "var d = configuration.GetValue<int>(\"D:Port\");\n" +
                            "var e = configuration.GetValue(typeof(int), \"E\", 1);\n" +
                            "var f = config[\"F\"]?.Split(',');\n" +
                            "if (string.IsNullOrWhiteSpace(config[\"G\"])) { }\n" +
                            "var h = configuration[\"H\"];\nif (h is null) return;\n" +
                            "var i = configuration[\"I\"]!;\n" +
                            "config[\"J\"] = \"write, not read\";\n" +
                            "var k = builder.Configuration.GetConnectionString(\"Db\");\n" +
                            "var l = builder.Configuration.GetConnectionString(\"Opt\") ?? \"Host=localhost\";\n";
        Assert.That(Keys(code), Is.EqualTo(new[] { "A?", "B!", "C:Port?", "D:Port!", "E?", "F?", "G?", "H?", "I!", "ConnectionStrings:Db!", "ConnectionStrings:Opt?" }));
        Assert.That(Scan(code).Reads.Single(r => r.Key == "ConnectionStrings:Db").EnvironmentName, Is.EqualTo("ConnectionStrings__Db"));
    }

    [Test]
    public void Sections_are_required_only_when_their_value_is_used()
    {
        const string code = "services.Configure<MailOptions>(configuration.GetSection(\"Mail\"));\n" +
                            "var v = configuration.GetSection(\"Jwt\").Value;\n" +
                            "var o = configuration.GetSection(\"Smtp\").Get<SmtpOptions>();\n" +
                            "var p = configuration.GetSection(\"Opt\").Get<SmtpOptions>() ?? new SmtpOptions();\n" +
                            "var r = configuration.GetRequiredSection(\"Auth\");\n" +
                            "var n = configuration.GetSection(\"Outer\").GetSection(\"Inner\").Value;\n" +
                            "var x = configuration.GetSection(\"Stripe\")[\"ApiKey\"];\n" +
                            "var s = configuration.GetSection(\"Cache\");\nvar t = s.GetValue<int>(\"Ttl\");\n" +
                            "var other = dictionary[\"NotConfig\"];\nvar q = somethingElse.GetValue<int>(\"NotConfigEither\");\n";
        Assert.That(Keys(code), Is.EqualTo(new[] { "Jwt!", "Smtp!", "Opt?", "Auth!", "Outer:Inner!", "Stripe:ApiKey!", "Cache:Ttl!" }));
    }

    [Test]
    public void Constants_name_keys_and_reads_are_located()
    {
        const string code = "class C {\n    const string Name = \"OPENAI_API_KEY\";\n    string K => Environment.GetEnvironmentVariable(Name)!;\n}\n";
        var read = Scan(code).Reads.Single();
        Assert.That((read.Key, read.Location.Line, read.Location.Column, read.HasFallback), Is.EqualTo(("OPENAI_API_KEY", 3, 17, false)));
    }

    [Test]
    public void Database_url_reaching_npgsql_unconverted_is_found_directly_and_through_a_variable()
    {
        const string code = "var url = Environment.GetEnvironmentVariable(\"DATABASE_URL\")!;\n" +
                            "var ds = NpgsqlDataSource.Create(url);\n" +
                            "options.UseNpgsql(builder.Configuration[\"DATABASE_URL\"]);\n" +
                            "var c = new NpgsqlConnection(connectionString: Environment.GetEnvironmentVariable(\"DATABASE_URL\") ?? \"\");\n" +
                            "var ok1 = NpgsqlDataSource.Create(FlyDatabaseUrl.ToNpgsqlConnectionString(url));\n" +
                            "var converted = Convert(Environment.GetEnvironmentVariable(\"DATABASE_URL\"));\n" +
                            "var ok2 = new NpgsqlConnection(converted);\n" +
                            "// new NpgsqlConnection(url) in a comment\n";
        var misuses = Scan(code).DatabaseUrlMisuses;
        Assert.That(misuses.Select(m => (m.Sink, m.Location.Line)), Is.EqualTo(new[]
        {
            ("NpgsqlDataSource.Create", 2), ("UseNpgsql", 3), ("new NpgsqlConnection", 4),
        }));
    }

    [Test]
    public void Os_dependent_calls_are_found()
    {
        const string code = "using System.Drawing;\nvar tz = TimeZoneInfo.FindSystemTimeZoneById(\"Europe/Paris\");\nusing var b = new Bitmap(1, 1);\nvar c = new SqlConnection(cs);\n" +
                            "var point = new System.Drawing.Primitives.Thing();\n";
        var r = Scan(code);
        Assert.That(r.TimeZoneLookups.Single().Location.Line, Is.EqualTo(2));
        Assert.That(r.DrawingUses.Select(u => u.Location.Line), Is.EqualTo(new[] { 1, 3 }));
        Assert.That(r.SqlClientUses.Single().Location.Line, Is.EqualTo(4));
    }

    [TestCase("var tz = TimeZoneInfo.FindSystemTimeZoneById(\"Europe/Paris\");", true)]
    [TestCase("TimeZoneInfo.TryFindSystemTimeZoneById(id, out var tz);", true)]
    [TestCase("// TimeZoneInfo.FindSystemTimeZoneById(\"Europe/Paris\")\nvar s = \"FindSystemTimeZoneById(x)\";", false)]
    [TestCase("var name = nameof(TimeZoneInfo.FindSystemTimeZoneById);", false)]
    public void Time_zone_lookups_alone_agree_with_the_full_scan(string code, bool looksUp)
    {
        var sources = Sources(code);
        Assert.That(CSharpSourceScanner.LooksUpTimeZones(sources), Is.EqualTo(looksUp));
        Assert.That(CSharpSourceScanner.Scan(sources).TimeZoneLookups.Count > 0, Is.EqualTo(looksUp));
    }

    [Test]
    public void Unterminated_literals_do_not_hang_or_throw()
    {
        foreach (var code in new[] { "var s = \"abc", "var s = @\"abc", "var s = $\"{abc", "var s = \"\"\"abc", "var c = '", "/* open", "$$\"\"\"{{x" })
        {
            Assert.That(() => Scan(code), Throws.Nothing, code);
        }
    }

    [Test]
    public void Sample_env_missing_reads_exactly_what_it_requires()
    {
        var file = Path.Combine(DotNetSamples.Folder("env-missing"), "Program.cs");
        var required = CSharpSourceScanner.Scan(CSharpSources.Read(new[] { file })).Reads.Where(r => r.IsRequired).Select(r => r.EnvironmentName).ToArray();
        Assert.That(required, Is.EquivalentTo(new[]
        {
            "OPENAI_API_KEY", "Stripe__ApiKey", "ConnectionStrings__Orders", "Cart__MaxItems", "Mail", "FLY_REGION", "ASPNETCORE_ENVIRONMENT",
        }));
    }

    /// <summary>10,000 realistic files: the figure is printed; the bound is only a sanity check.</summary>
    [Test]
    public void Benchmark_scans_ten_thousand_files()
    {
        var folder = Path.Combine(Path.GetTempPath(), "flyio-scan-bench-" + System.Guid.NewGuid().ToString("N"));
        try
        {
            var files = ScanBenchmark.GenerateSources(folder, 10_000);
            ScanBenchmark.Measure(files.Take(200).ToList()); // warm-up (JIT)
            var measurement = ScanBenchmark.Measure(files);
            TestContext.Out.WriteLine("C# scan benchmark: " + measurement);
            System.Console.WriteLine("C# scan benchmark: " + measurement);
            Assert.That(measurement.Files, Is.EqualTo(10_000));
            Assert.That(measurement.Reads, Is.GreaterThan(10_000), "every file has reads the scan must find");
            Assert.That(measurement.Elapsed.TotalSeconds, Is.LessThan(20), "sanity bound only; the target is 2 s");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
