import pytest

from app.law.errors import LawDataMissing
from app.law.forum import district_court_for, municipalities


@pytest.mark.parametrize("municipality,court", [
    pytest.param("Stockholm", "Stockholms tingsrätt", id="RB 10:1 Stockholm"),
    pytest.param("Västerås", "Västmanlands tingsrätt", id="RB 10:1 Västerås hör till Västmanlands domsaga"),
])
def test_forum_from_folkbokforing(municipality, court):
    forum = district_court_for(municipality)
    assert forum.court == court
    assert f"folkbokförd i {municipality}," in forum.reason and "RB 10 kap. 1 §" in forum.reason


def test_company_forum_speaks_of_seat():
    assert "har sitt säte i Malmö," in district_court_for("Malmö", is_company=True).reason


@pytest.mark.parametrize("municipality", ["Kiruna", "", "  "])
def test_unknown_municipality_names_the_file_to_extend(municipality):
    with pytest.raises(LawDataMissing, match="domsagor.toml"):
        district_court_for(municipality)


def test_every_court_is_a_tingsratt():
    assert all(court.endswith("tingsrätt") for court in municipalities().values())
