using FlyIo.Launch.Standalone;
using NUnit.Framework;

namespace FlyIo.Launch.Tests.Standalone;

/// <summary>Folders that are neither Python nor Node get no facts at all, so FlyLaunch does not treat them as standalone apps.</summary>
public sealed class NotAnAppScanTests
{
    private TempAppFolder _app = null!;

    [SetUp]
    public void CreateFolder() => _app = new TempAppFolder();

    [TearDown]
    public void DeleteFolder() => _app.Dispose();

    [Test]
    public void StaticSiteImageIsNeitherPythonNorNode()
    {
        _app.Write("Dockerfile", "FROM nginx:1.27\nCOPY index.html /usr/share/nginx/html/\nEXPOSE 80\n")
            .Write("index.html", "<h1>hello</h1>\n")
            .Write("README.md", "import flask\n");

        Assert.That(StandaloneAppScanner.Scan(_app.Path, _app.Dockerfile), Is.Null);
    }

    [Test]
    public void PythonCommandAloneMakesAPythonApp()
    {
        _app.Write("Dockerfile", "FROM python:3.12-slim\nCMD [\"python3\", \"-m\", \"http.server\", \"8000\"]\n");

        var facts = StandaloneAppScanner.Scan(_app.Path, _app.Dockerfile);

        Assert.That(facts?.Language, Is.EqualTo("Python"));
        Assert.That(facts!.Framework, Is.Null);
        Assert.That(facts.Port, Is.Null, "nothing this scanner understands names the port, and there is no framework default");
    }
}
