// Loads each ontology document named on the command line with the OWL API and checks it against the OWL 2 DL
// profile (OWL2DLProfile, the check Protégé runs).  Prints one tab-separated line per finding:
//   document     <path>             (the findings below it are of that document)
//   format       <document format>
//   unparsed     <triple the parser could not turn into an axiom>
//   violation    <violation class>  <message>
//   annotation   <property IRI>     (an annotation on the ontology itself)
//   declaration  <entity type>  <IRI>
//   individual   <IRI>              (a named individual in the signature)
//   summary      <number of violations in all documents>
// Run with `java -cp <OWL API classpath> OwlDlProfile.java FILE...` (Java 11+ source-file mode).

import java.io.File;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RDFDocumentFormat;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlDlProfile {
    private static String oneLine(Object o) {
        return String.valueOf(o).replaceAll("\\s+", " ").trim();
    }

    public static void main(String[] args) throws Exception {
        int total = 0;
        for (String path : args) {
            System.out.println("document\t" + path);
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(path));
            OWLDocumentFormat format = manager.getOntologyFormat(ontology);
            System.out.println("format\t" + oneLine(format == null ? "unknown" : format.getKey()));
            if (format instanceof RDFDocumentFormat) {
                ((RDFDocumentFormat) format).getOntologyLoaderMetaData().ifPresent(meta ->
                    meta.getUnparsedTriples().forEach(t -> System.out.println("unparsed\t" + oneLine(t))));
            }
            OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
            for (OWLProfileViolation v : report.getViolations()) {
                System.out.println("violation\t" + v.getClass().getSimpleName() + "\t" + oneLine(v));
            }
            total += report.getViolations().size();
            ontology.annotations().forEach(a -> System.out.println("annotation\t" + a.getProperty().getIRI()));
            ontology.axioms(AxiomType.DECLARATION).forEach(d -> System.out.println(
                "declaration\t" + d.getEntity().getEntityType().getName() + "\t" + d.getEntity().getIRI()));
            ontology.individualsInSignature().forEach(i -> System.out.println("individual\t" + i.getIRI()));
        }
        System.out.println("summary\t" + total);
    }
}
