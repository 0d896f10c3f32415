"""Small closed word lists: countries (names, demonyms, capitals) and titles people hold.

Countries let "U.S.", "Washington", "American" and "the United States" be one place, and let
a role be normalised to "President of the United States" whatever adjective the text used.
The capitals double as metonyms ("engaging with Beijing"). General knowledge, not story data.
"""

from __future__ import annotations

import re

# canonical name → aliases (lower-case, dots removed), demonyms, capital.
_COUNTRIES: dict[str, tuple[list[str], list[str], str]] = {
    "the United States": (["united states", "us", "usa", "america", "united states of america"],
                          ["american", "us"], "washington"),
    "China": (["china", "prc", "people's republic of china", "mainland china"], ["chinese"], "beijing"),
    "Japan": (["japan"], ["japanese"], "tokyo"),
    "Taiwan": (["taiwan"], ["taiwanese"], "taipei"),
    "South Korea": (["south korea", "korea", "republic of korea"], ["south korean", "korean"], "seoul"),
    "North Korea": (["north korea", "dprk"], ["north korean"], "pyongyang"),
    "Russia": (["russia", "russian federation"], ["russian"], "moscow"),
    "Ukraine": (["ukraine"], ["ukrainian"], "kyiv"),
    "the United Kingdom": (["united kingdom", "uk", "britain", "great britain"], ["british"], "london"),
    "France": (["france"], ["french"], "paris"),
    "Germany": (["germany"], ["german"], "berlin"),
    "Italy": (["italy"], ["italian"], "rome"),
    "Spain": (["spain"], ["spanish"], "madrid"),
    "India": (["india"], ["indian"], "new delhi"),
    "Pakistan": (["pakistan"], ["pakistani"], "islamabad"),
    "Iran": (["iran"], ["iranian"], "tehran"),
    "Iraq": (["iraq"], ["iraqi"], "baghdad"),
    "Israel": (["israel"], ["israeli"], "jerusalem"),
    "Turkey": (["turkey", "turkiye"], ["turkish"], "ankara"),
    "Canada": (["canada"], ["canadian"], "ottawa"),
    "Mexico": (["mexico"], ["mexican"], "mexico city"),
    "Brazil": (["brazil"], ["brazilian"], "brasilia"),
    "Australia": (["australia"], ["australian"], "canberra"),
    "Indonesia": (["indonesia"], ["indonesian"], "jakarta"),
    "Philippines": (["philippines", "the philippines"], ["philippine", "filipino"], "manila"),
    "Vietnam": (["vietnam"], ["vietnamese"], "hanoi"),
    "Egypt": (["egypt"], ["egyptian"], "cairo"),
    "Saudi Arabia": (["saudi arabia"], ["saudi"], "riyadh"),
    "Afghanistan": (["afghanistan"], ["afghan"], "kabul"),
    "Syria": (["syria"], ["syrian"], "damascus"),
    "Greece": (["greece"], ["greek"], "athens"),
    "Ireland": (["ireland"], ["irish"], "dublin"),
    "Poland": (["poland"], ["polish"], "warsaw"),
    "Netherlands": (["netherlands", "holland"], ["dutch"], "amsterdam"),
    "Sweden": (["sweden"], ["swedish"], "stockholm"),
    "Norway": (["norway"], ["norwegian"], "oslo"),
    "Switzerland": (["switzerland"], ["swiss"], "bern"),
    "Nigeria": (["nigeria"], ["nigerian"], "abuja"),
    "South Africa": (["south africa"], ["south african"], "pretoria"),
    "Kenya": (["kenya"], ["kenyan"], "nairobi"),
    "Sudan": (["sudan"], ["sudanese"], "khartoum"),
    "Somalia": (["somalia"], ["somali"], "mogadishu"),
    "Thailand": (["thailand"], ["thai"], "bangkok"),
    "Malaysia": (["malaysia"], ["malaysian"], "kuala lumpur"),
    "Singapore": (["singapore"], ["singaporean"], "singapore"),
    "Argentina": (["argentina"], ["argentine", "argentinian"], "buenos aires"),
    "Chile": (["chile"], ["chilean"], "santiago"),
    "Colombia": (["colombia"], ["colombian"], "bogota"),
    "Venezuela": (["venezuela"], ["venezuelan"], "caracas"),
    "Cuba": (["cuba"], ["cuban"], "havana"),
    "Lebanon": (["lebanon"], ["lebanese"], "beirut"),
    "Libya": (["libya"], ["libyan"], "tripoli"),
    "Yemen": (["yemen"], ["yemeni"], "sanaa"),
    "Bangladesh": (["bangladesh"], ["bangladeshi"], "dhaka"),
    "Sri Lanka": (["sri lanka"], ["sri lankan"], "colombo"),
    "New Zealand": (["new zealand"], ["new zealander"], "wellington"),
}


def _norm(text: str) -> str:
    text = text.lower().replace(".", "").replace("’", "'")
    text = re.sub(r"'s$", "", text).strip()
    return re.sub(r"^the\s+", "", re.sub(r"\s+", " ", text))


COUNTRY_BY_NAME: dict[str, str] = {}
COUNTRY_BY_DEMONYM: dict[str, str] = {}
COUNTRY_BY_CAPITAL: dict[str, str] = {}
for _canon, (_aliases, _demonyms, _capital) in _COUNTRIES.items():
    COUNTRY_BY_NAME[_norm(_canon)] = _canon
    for _a in _aliases:
        COUNTRY_BY_NAME[_a] = _canon
    for _d in _demonyms:
        COUNTRY_BY_DEMONYM[_d] = _canon
    COUNTRY_BY_CAPITAL[_capital] = _canon


def country_of(text: str, *, capitals: bool = True) -> str | None:
    """The country a name, demonym or (optionally) capital stands for, else None."""
    n = _norm(text)
    return (COUNTRY_BY_NAME.get(n) or COUNTRY_BY_DEMONYM.get(n)
            or (COUNTRY_BY_CAPITAL.get(n) if capitals else None))


def country_key(country: str) -> str:
    return "gpe:" + slug(country.removeprefix("the "))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace(".", "")).strip("-")


# Titles people hold, normalised. Longest first so "Prime Minister" beats "Minister".
TITLES: dict[str, str] = {
    "prime minister": "Prime Minister", "pm": "Prime Minister", "premier": "Premier",
    "vice president": "Vice President", "president-elect": "President-elect",
    "president": "President", "chancellor": "Chancellor",
    "foreign minister": "Foreign Minister", "defense minister": "Defense Minister",
    "defence minister": "Defence Minister", "finance minister": "Finance Minister",
    "minister": "Minister", "secretary of state": "Secretary of State",
    "defense secretary": "Defense Secretary", "secretary": "Secretary",
    "king": "King", "queen": "Queen", "prince": "Prince", "emperor": "Emperor",
    "governor": "Governor", "senator": "Senator", "sen": "Senator", "rep": "Representative",
    "representative": "Representative", "mayor": "Mayor", "ambassador": "Ambassador",
    "general": "General", "gen": "General", "admiral": "Admiral", "commander": "Commander",
    "chief executive": "Chief Executive", "ceo": "Chief Executive", "chairman": "Chairman",
    "chairwoman": "Chairwoman", "chief": "Chief", "police chief": "Police Chief",
    "sheriff": "Sheriff", "judge": "Judge", "justice": "Justice", "attorney general": "Attorney General",
    "general manager": "General Manager", "manager": "Manager", "coach": "Coach",
    "head coach": "Head Coach", "spokesman": "Spokesman", "spokeswoman": "Spokeswoman",
    "spokesperson": "Spokesperson", "director": "Director", "founder": "Founder",
    "leader": "Leader", "pope": "Pope", "archbishop": "Archbishop", "bishop": "Bishop",
    "captain": "Captain", "detective": "Detective", "officer": "Officer", "inspector": "Inspector",
    "actor": "Actor", "actress": "Actress", "singer": "Singer", "rapper": "Rapper",
    "quarterback": "Quarterback", "striker": "Striker", "goalkeeper": "Goalkeeper",
    "midfielder": "Midfielder", "defender": "Defender", "pitcher": "Pitcher",
    "first baseman": "First Baseman", "outfielder": "Outfielder", "guard": "Guard",
    "forward": "Forward", "center": "Center",
    "attorney": "Attorney", "lawyer": "Lawyer", "prosecutor": "Prosecutor",
    "district attorney": "District Attorney", "publicist": "Publicist", "author": "Author",
    "writer": "Writer", "novelist": "Novelist", "producer": "Producer", "designer": "Designer",
    "fashion designer": "Fashion Designer", "referee": "Referee", "umpire": "Umpire",
    "constable": "Constable", "const": "Constable", "deputy": "Deputy", "sergeant": "Sergeant",
    "sgt": "Sergeant", "lieutenant": "Lieutenant", "lt": "Lieutenant", "colonel": "Colonel",
    "col": "Colonel", "professor": "Professor", "prof": "Professor", "economist": "Economist",
    "analyst": "Analyst", "journalist": "Journalist", "reporter": "Reporter", "editor": "Editor",
    "correspondent": "Correspondent", "executive": "Executive", "official": "Official",
    "owner": "Owner", "chairperson": "Chairperson", "chancellor-elect": "Chancellor-elect",
    "premier-elect": "Premier-elect", "champion": "Champion", "boxer": "Boxer", "player": "Player",
    "star": "Star", "comedian": "Comedian", "host": "Host", "musician": "Musician",
}
# Words that make a title more specific ("Assistant General Manager", "Interim Head Coach").
TITLE_PREFIXES = ["assistant", "deputy", "interim", "acting", "associate", "senior", "executive",
                  "vice", "chief", "lead", "head"]
TITLE_ALTERNATION = "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True))
# Words that are titles when they precede a name but not part of it ("Mr. Abe", "Dr. Ng").
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "st"}
