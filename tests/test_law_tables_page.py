from app.law.tables import list_tables


def test_admin_sees_every_law_table_with_sources(world, as_user):
    html = as_user(world.admin).get("/admin/rattsregler").get_data(as_text=True)
    for table in list_tables():
        assert table.title in html
        for series in table.series:
            assert series.entries[-1].source in html
    assert "59\u00a0200\u00a0kr" in html and "Att verifiera" in html and "Stockholms tingsrätt" in html


def test_cli_prints_the_tables(app):
    result = app.test_cli_runner().invoke(args=["law", "tables"])
    assert result.exit_code == 0 and "Prisbasbelopp" in result.output and "(2025:872)" in result.output
