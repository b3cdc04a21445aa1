"""The DCAT-AP.de catalogue of the open data portal (GovData's harvesting format).

- `namespaces`: the RDF vocabularies and their prefixes;
- `vocabularies`: EU file types, IANA media types, languages, licences that need attribution;
- `uris`: the URIs of catalogue, datasets, distributions and publishers, and landing pages;
- `selectors`: what the catalogue shows (active public datasets), prefetched in a fixed
  number of queries;
- `graph`: catalogue and dataset graphs built with rdflib, following ckanext-dcat's
  `euro_dcat_ap_2` profile and ckanext-dcatde's `dcatap_de` extension;
- `views`, `urls`: `/catalog.ttl|.rdf|.xml|.jsonld` (paged with Hydra),
  `/dataset/<name>.ttl|.rdf|.xml|.jsonld`, and `/catalog` with content negotiation.
"""
