// The DATABASE_URL helper linked into this test assembly reads its connection name from here, as in an app.
[assembly: System.Reflection.AssemblyMetadata("FlyDatabaseUrlConnectionName", "TestDb")]
