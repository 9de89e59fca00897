// Fixed reference facts for the generator: countries, their languages and time zones, and the cities where
// generated events take place. NUTS codes here are checked against the NUTS 2024 file by places.test.ts.

/** EU member states by NUTS country code (NUTS writes Greece as EL), with a rough population weight (millions). */
export const EU_COUNTRIES: readonly (readonly [string, number])[] = [
  ['DE', 84], ['FR', 68], ['IT', 59], ['ES', 48], ['PL', 37], ['RO', 19], ['NL', 18], ['BE', 12], ['CZ', 11],
  ['EL', 10], ['PT', 10], ['SE', 10], ['HU', 10], ['AT', 9], ['BG', 6], ['DK', 6], ['FI', 6], ['SK', 5], ['IE', 5],
  ['HR', 4], ['LT', 3], ['SI', 2], ['LV', 2], ['EE', 1], ['CY', 1], ['LU', 1], ['MT', 1],
];

/** ISO 3166-1 alpha-2 code of a NUTS country code (they differ for Greece only). */
export const isoCountry = (nutsCountry: string) => (nutsCountry === 'EL' ? 'GR' : nutsCountry);
export const nutsCountry = (isoCode: string) => (isoCode === 'GR' ? 'EL' : isoCode);

/** Citizenships of international talents (ISO 3166-1 alpha-2), with weights. */
export const INTERNATIONAL_CITIZENSHIPS: readonly (readonly [string, number])[] = [
  ['UA', 15], ['IN', 12], ['TR', 8], ['MA', 7], ['BR', 7], ['CN', 6], ['CO', 5], ['NG', 5], ['AL', 4], ['RS', 4],
  ['PK', 4], ['EG', 4], ['US', 4], ['PH', 3], ['MX', 3], ['AR', 3], ['GE', 2], ['VN', 2], ['CH', 2], ['NO', 1],
];

/** The main language of each country (BCP 47), for native speakers. */
export const COUNTRY_LANGUAGE: Readonly<Record<string, string>> = {
  DE: 'de', AT: 'de-AT', CH: 'de-CH', FR: 'fr', IT: 'it', ES: 'es', PL: 'pl', RO: 'ro', NL: 'nl', BE: 'nl-BE',
  CZ: 'cs', GR: 'el', CY: 'el', PT: 'pt', SE: 'sv', HU: 'hu', BG: 'bg', DK: 'da', FI: 'fi', SK: 'sk', IE: 'en-IE',
  HR: 'hr', LT: 'lt', SI: 'sl', LV: 'lv', EE: 'et', LU: 'lb', MT: 'mt', UA: 'uk', IN: 'hi', TR: 'tr', MA: 'ar',
  EG: 'ar', BR: 'pt-BR', CO: 'es-CO', MX: 'es-MX', AR: 'es-AR', NG: 'en', US: 'en-US', AL: 'sq', RS: 'sr', CN: 'zh',
  PK: 'ur', PH: 'fil', GE: 'ka', VN: 'vi', NO: 'nb',
};

/** Each EU country's time zone (IANA). Generated events are held in mainland cities only, so one per country. */
export const COUNTRY_TIME_ZONE: Readonly<Record<string, string>> = {
  AT: 'Europe/Vienna', BE: 'Europe/Brussels', BG: 'Europe/Sofia', CY: 'Asia/Nicosia', CZ: 'Europe/Prague',
  DE: 'Europe/Berlin', DK: 'Europe/Copenhagen', EE: 'Europe/Tallinn', EL: 'Europe/Athens', ES: 'Europe/Madrid',
  FI: 'Europe/Helsinki', FR: 'Europe/Paris', HR: 'Europe/Zagreb', HU: 'Europe/Budapest', IE: 'Europe/Dublin',
  IT: 'Europe/Rome', LT: 'Europe/Vilnius', LU: 'Europe/Luxembourg', LV: 'Europe/Riga', MT: 'Europe/Malta',
  NL: 'Europe/Amsterdam', PL: 'Europe/Warsaw', PT: 'Europe/Lisbon', RO: 'Europe/Bucharest', SE: 'Europe/Stockholm',
  SI: 'Europe/Ljubljana', SK: 'Europe/Bratislava',
};

export interface City {
  name: string;
  /** NUTS 2024 level-3 region the city lies in. */
  region: string;
}

/** Cities that host generated onsite and hybrid events (English names), in NUTS 2024 level-3 regions. */
export const CITIES: readonly City[] = [
  ['Vienna', 'AT130'], ['Brussels', 'BE100'], ['Antwerp', 'BE211'], ['Ghent', 'BE234'], ['Sofia', 'BG411'],
  ['Nicosia', 'CY000'], ['Prague', 'CZ010'], ['Brno', 'CZ064'], ['Berlin', 'DE300'], ['Hamburg', 'DE600'],
  ['Munich', 'DE212'], ['Cologne', 'DEA23'], ['Frankfurt am Main', 'DE712'], ['Stuttgart', 'DE111'],
  ['Copenhagen', 'DK011'], ['Tallinn', 'EE001'], ['Athens', 'EL303'], ['Thessaloniki', 'EL522'], ['Madrid', 'ES300'],
  ['Barcelona', 'ES511'], ['Girona', 'ES512'], ['Lleida', 'ES513'], ['Tarragona', 'ES514'], ['Valencia', 'ES523'],
  ['Seville', 'ES618'], ['Bilbao', 'ES213'], ['Zaragoza', 'ES243'], ['Helsinki', 'FI1B1'], ['Paris', 'FR101'],
  ['Lyon', 'FRK26'], ['Marseille', 'FRL04'], ['Bordeaux', 'FRI12'], ['Strasbourg', 'FRF11'], ['Lille', 'FRE11'],
  ['Toulouse', 'FRJ23'], ['Zagreb', 'HR050'], ['Budapest', 'HU110'], ['Dublin', 'IE061'], ['Letterkenny', 'IE041'],
  ['Cork', 'IE053'], ['Turin', 'ITC11'], ['Milan', 'ITC4C'], ['Rome', 'ITI43'], ['Naples', 'ITF33'],
  ['Florence', 'ITI14'], ['Padua', 'ITH36'], ['Piacenza', 'ITH51'], ['Parma', 'ITH52'], ['Reggio Emilia', 'ITH53'],
  ['Modena', 'ITH54'], ['Bologna', 'ITH55'], ['Ferrara', 'ITH56'], ['Ravenna', 'ITH57'], ['Forlì', 'ITH58'],
  ['Rimini', 'ITH59'], ['Vilnius', 'LT011'], ['Luxembourg', 'LU000'], ['Riga', 'LV00A'], ['Valletta', 'MT001'],
  ['Amsterdam', 'NL32B'], ['Eindhoven', 'NL414'], ['Warsaw', 'PL911'], ['Kraków', 'PL213'], ['Wrocław', 'PL514'],
  ['Gdańsk', 'PL633'], ['Lisbon', 'PT1A0'], ['Porto', 'PT11A'], ['Bucharest', 'RO321'], ['Cluj-Napoca', 'RO113'],
  ['Stockholm', 'SE110'], ['Gothenburg', 'SE232'], ['Malmö', 'SE224'], ['Ljubljana', 'SI041'], ['Bratislava', 'SK010'],
].map(([name, region]) => ({ name: name!, region: region! }));

/** The time zone of a city's region. */
export const cityTimeZone = (city: City) => COUNTRY_TIME_ZONE[city.region.slice(0, 2)]!;
