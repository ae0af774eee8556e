using FlyIo.Launch.Standalone;
using NUnit.Framework;

namespace FlyIo.Launch.Tests.Standalone;

/// <summary>Python folders built on disk: Flask, Django and FastAPI, the port rules in their order, and what does not count as a health route.</summary>
public sealed class PythonAppScanTests
{
    private TempAppFolder _app = null!;

    [SetUp]
    public void CreateFolder() => _app = new TempAppFolder();

    [TearDown]
    public void DeleteFolder() => _app.Dispose();

    [Test]
    public void FlaskWithoutExposeListensOnThePortItsRunCallNames()
    {
        _app.Write("Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n")
            .Write("requirements.txt", "Flask==3.0.3\n")
            .Write("app.py", "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route(\"/health\")\ndef health():\n    return \"ok\"\n\n\nif __name__ == \"__main__\":\n    app.run(host=\"0.0.0.0\", port=5000)\n");

        var facts = StandaloneAppScanner.Scan(_app.Path, _app.Dockerfile)!;

        Assert.That(facts.Language, Is.EqualTo("Python"));
        Assert.That(facts.Framework, Is.EqualTo("Flask"));
        Assert.That(facts.Port, Is.EqualTo(5000));
        Assert.That(facts.PortReason, Is.EqualTo("app.py(12,5): app.run(..., port=5000)"));
        Assert.That(facts.PortVariable, Is.Null);
        Assert.That(facts.HealthPath, Is.EqualTo("/health"));
        Assert.That(facts.HealthPathReason, Is.EqualTo("app.py(6,1): @app.route(\"/health\")"));
    }

    [Test]
    public void DjangoTakesItsPortFromGunicornBindAndItsHealthRouteFromUrls()
    {
        _app.Write("Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"mysite.wsgi\"]\n")
            .Write("requirements.txt", "Django>=5.0\ngunicorn\n")
            .Write("manage.py", "import os\nimport sys\n\nif __name__ == \"__main__\":\n    os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"mysite.settings\")\n")
            .Write("mysite/__init__.py", string.Empty)
            .Write("mysite/urls.py", "from django.urls import path\n\nfrom . import views\n\nurlpatterns = [\n    path(\"healthz/\", views.healthz),\n    path(\"items/\", views.items),\n]\n");

        var facts = StandaloneAppScanner.Scan(_app.Path, _app.Dockerfile)!;

        Assert.That(facts.Language, Is.EqualTo("Python"));
        Assert.That(facts.Framework, Is.EqualTo("Django"));
        Assert.That(facts.Port, Is.EqualTo(8000));
        Assert.That(facts.PortReason, Is.EqualTo("Dockerfile(5): CMD gunicorn -b 0.0.0.0:8000"));
        Assert.That(facts.PortVariable, Is.Null, "gunicorn is given its bind, so PORT is not read");
        Assert.That(facts.HealthPath, Is.EqualTo("/healthz/"));
        Assert.That(facts.HealthPathReason, Is.EqualTo("mysite/urls.py(6,5): path(\"healthz/\", ...)"));
    }

    [Test]
    public void UvicornPortOptionDecidesWhenNothingIsExposedAndAnApiRouteIsNoHealthRoute()
    {
        _app.Write("Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"-m\", \"uvicorn\", \"main:app\", \"--host\", \"0.0.0.0\", \"--port=8080\"]\n")
            .Write("main.py", "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/api/items\")\ndef items():\n    return []\n");

        var facts = StandaloneAppScanner.Scan(_app.Path, _app.Dockerfile)!;

        Assert.That(facts.Framework, Is.EqualTo("FastAPI"));
        Assert.That(facts.Port, Is.EqualTo(8080));
        Assert.That(facts.PortReason, Is.EqualTo("Dockerfile(4): CMD uvicorn ... --port=8080"));
        Assert.That(facts.HealthPath, Is.Null);
        Assert.That(facts.HealthPathReason, Is.Null);
    }

    [Test]
    public void RouteLimitedToPostAndCommentedRouteAreNotHealthRoutes()
    {
        _app.Write("Dockerfile", "FROM python:3.12-slim\nCOPY . .\nEXPOSE 5000\nCMD [\"python\", \"app.py\"]\n")
            .Write("app.py", "import flask\n\napp = flask.Flask(__name__)\n\n# @app.get(\"/healthz\")\n@app.route(\"/health\", methods=[\"POST\"])\ndef health():\n    return \"ok\"\n");

        var facts = StandaloneAppScanner.Scan(_app.Path, _app.Dockerfile)!;

        Assert.That(facts.Framework, Is.EqualTo("Flask"));
        Assert.That(facts.HealthPath, Is.Null);
    }

    [Test]
    public void PreferredHealthNameWinsAndRouteWithGetAmongItsMethodsCounts()
    {
        _app.Write("app.py", "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route(\"/status\")\ndef status():\n    return \"ok\"\n\n\n@app.route(\"/healthz\", methods=[\"GET\", \"HEAD\"])\ndef healthz():\n    return \"ok\"\n");

        var facts = StandaloneAppScanner.Scan(_app.Path, null)!;

        Assert.That(facts.HealthPath, Is.EqualTo("/healthz"));
        Assert.That(facts.HealthPathReason, Does.StartWith("app.py(11,1): "));
    }

    [Test]
    public void PortFromEnvironmentFallbackAndPortVariableWhenTheImageDoesNotSetPort()
    {
        _app.Write("Dockerfile", "FROM python:3.12-slim\nCOPY . .\nCMD [\"python\", \"main.py\"]\n")
            .Write("main.py", "import os\n\nimport uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\nif __name__ == \"__main__\":\n    uvicorn.run(app, host=\"0.0.0.0\", port=int(os.environ.get(\"PORT\", 8081)))\n");

        var facts = StandaloneAppScanner.Scan(_app.Path, _app.Dockerfile)!;

        Assert.That(facts.Port, Is.EqualTo(8081));
        Assert.That(facts.PortReason, Is.EqualTo("main.py(9,47): os.environ.get(\"PORT\", 8081)"));
        Assert.That(facts.PortVariable, Is.EqualTo("PORT"));
    }

    [Test]
    public void FrameworkDefaultIsTheLastResortAndSaysSo()
    {
        _app.Write("Dockerfile", "FROM python:3.12-slim\nCOPY . .\nCMD [\"python\", \"main.py\"]\n")
            .Write("pyproject.toml", "[project]\nname = \"api\"\ndependencies = [\"fastapi>=0.110\", \"uvicorn[standard]\"]\n")
            .Write("main.py", "import uvicorn\nfrom api import app\n\nuvicorn.run(app, host=\"0.0.0.0\")\n");

        var facts = StandaloneAppScanner.Scan(_app.Path, _app.Dockerfile)!;

        Assert.That(facts.Framework, Is.EqualTo("FastAPI"), "declared in pyproject.toml, not imported by main.py");
        Assert.That(facts.Port, Is.EqualTo(8000));
        Assert.That(facts.PortReason, Is.EqualTo("FastAPI's uvicorn default port"));
        Assert.That(facts.PortVariable, Is.Null);
    }

    [Test]
    public void GunicornWithoutBindTakesPortFromTheEnvironment()
    {
        _app.Write("Dockerfile", "FROM python:3.12-slim\nCOPY . .\nCMD gunicorn app:app\n")
            .Write("requirements.txt", "flask\ngunicorn\n")
            .Write("app.py", "from flask import Flask\n\napp = Flask(__name__)\n");

        var facts = StandaloneAppScanner.Scan(_app.Path, _app.Dockerfile)!;

        Assert.That(facts.Port, Is.EqualTo(8000));
        Assert.That(facts.PortReason, Is.EqualTo("gunicorn's default port"));
        Assert.That(facts.PortVariable, Is.EqualTo("PORT"));
    }
}
